// `import path from 'swagger-ui-dist/<file>' with { type: 'file' }` gives the file's path (Bun's file imports).
declare module 'swagger-ui-dist/*' {
  const path: string
  export default path
}
