/** The child process of {@link prepareInputInChild} (see in-child.ts). */
import { answerParent } from './in-child.ts';
import { prepareInput, type InputRequest } from './prepare-input.ts';

await answerParent((req: InputRequest) => prepareInput(req));
