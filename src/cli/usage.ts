/**
 * Each command's usage line, kept apart from the command's code: the help and an unknown command's
 * message list them all without loading any command (main.ts loads a command only when it runs).
 */
export const USAGE = {
  screen: 'vib screen [--pipeline FILE] [--input DIR] [--peildatum YYYY-MM-DD|today] [--out DIR] [--db PATH]',
  'run-due': 'vib run-due [--pipelines DIR] [--now ISO-TIME]',
  check: 'vib check [--db PATH] (--naam NAME [--geboortedatum D] | --kvk NUMBER) [--adres "POSTCODE HUISNUMMER"] [--reden TEXT] [--run RUN_ID] [--json | --html FILE]',
  'match-names': 'vib match-names --pairs FILE.csv',
  replay: 'vib replay RUN_DIR [--input DIR] [--allow-changed-inputs]',
  verify: 'vib verify [--db PATH]',
  diff: 'vib diff [RUN_A] RUN_B [--db PATH] [--json]',
  review: 'vib review list|show VBO_ID|set VBO_ID --status S --note TEXT --as USER [--db PATH] [--pipeline P]',
  users: 'vib users add NAME --role analist|coordinator|auditor [--db PATH] | vib users list [--db PATH]',
  serve: 'vib serve [--db PATH] [--port 8080]',
  export: 'vib export --out FILE.json|FILE.csv [--run RUN_ID] [--db PATH] [--pseudonymise]',
  purge: 'vib purge --before YYYY-MM-DD [--db PATH] [--as USER]',
  schemas: 'vib schemas   (writes the JSON Schemas of register.json and the pipeline file into schemas/)',
} as const;

export type CommandName = keyof typeof USAGE;
