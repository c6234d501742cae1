// The instances' user data, as terraform/modules/service renders it (templates/cloud-config.yaml.tftpl): a
// cloud-config whose write_files entry /etc/relay/runtime.env holds one `IMAGE=<reference>` line, read by the
// host's relay-app.service. A release changes that line and nothing else: the text is edited in place (comments
// and layout stay byte for byte), and the edit is checked by parsing both documents.

export const runtimeEnvPath = '/etc/relay/runtime.env'

interface WriteFile {
  path?: unknown
  content?: unknown
}

export function decodeUserData(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8')
}

export function encodeUserData(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

function parse(cloudConfig: string): { document: Record<string, unknown>; runtimeEnv: WriteFile } {
  if (!cloudConfig.startsWith('#cloud-config\n')) throw new Error('it is not a #cloud-config document')
  let document: unknown
  try {
    document = Bun.YAML.parse(cloudConfig)
  } catch (error) {
    throw new Error(`it is not valid YAML (${(error as Error).message})`)
  }
  const writeFiles = (document as { write_files?: unknown } | null)?.write_files
  const entries = Array.isArray(writeFiles) ? (writeFiles as WriteFile[]) : []
  const matches = entries.filter((entry) => entry?.path === runtimeEnvPath)
  if (matches.length !== 1 || typeof matches[0]?.content !== 'string') {
    throw new Error(`it has no single write_files entry ${runtimeEnvPath} with a text content`)
  }
  return { document: document as Record<string, unknown>, runtimeEnv: matches[0] }
}

function imageLines(content: string): string[] {
  return content.split('\n').filter((line) => line.startsWith('IMAGE='))
}

/** The image reference the instances run: the value of IMAGE= in runtime.env. */
export function readImage(cloudConfig: string): string {
  const { runtimeEnv } = parse(cloudConfig)
  const lines = imageLines(runtimeEnv.content as string)
  if (lines.length !== 1) throw new Error(`${runtimeEnvPath} has ${lines.length} IMAGE= lines instead of one`)
  return (lines[0] as string).slice('IMAGE='.length)
}

/** The same cloud-config with IMAGE= set to `reference`; everything else is left as it was. */
export function replaceImage(cloudConfig: string, reference: string): string {
  const current = readImage(cloudConfig)
  const needle = `IMAGE=${current}`
  const pieces = cloudConfig.split(needle)
  if (pieces.length !== 2) throw new Error(`"${needle}" occurs ${pieces.length - 1} times in it instead of once`)
  const replaced = pieces.join(`IMAGE=${reference}`)

  // What the edit must amount to: the parsed document with only runtime.env's IMAGE line changed.
  const expected = parse(cloudConfig)
  expected.runtimeEnv.content = (expected.runtimeEnv.content as string)
    .split('\n')
    .map((line) => (line.startsWith('IMAGE=') ? `IMAGE=${reference}` : line))
    .join('\n')
  if (!Bun.deepEquals(parse(replaced).document, expected.document, true)) {
    throw new Error('changing the IMAGE= line would change more than the image')
  }
  return replaced
}
