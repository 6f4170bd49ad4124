// The examples of examples/, bundled by scripts/build-playground.ts.
declare module 'aelang:examples' {
  const examples: { name: string; file: string; text: string }[];
  export default examples;
}
