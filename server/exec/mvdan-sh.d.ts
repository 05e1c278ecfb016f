// Types for the parts of mvdan-sh (the GopherJS build of mvdan.cc/sh) this gateway uses.
declare module 'mvdan-sh' {
  interface GoObject {
    readonly __internal_object__: unknown;
  }
  interface ShellParser {
    Parse(source: string, name: string): GoObject;
  }
  const sh: {
    readonly syntax: {
      NewParser(...options: unknown[]): ShellParser;
    };
  };
  export default sh;
}
