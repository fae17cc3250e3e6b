/** The child process of {@link measureReaderInChild} (see in-child.ts). */
import { answerParent } from './in-child.ts';
import { measureReader } from './measure-reader.ts';

await answerParent(({ files, bagDir, inputRoot }: { files: string[]; bagDir: string; inputRoot: string }) => measureReader(files, bagDir, inputRoot));
