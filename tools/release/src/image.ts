// Image tags and references. A release names images by something immutable only: the full git commit SHA CI tagged
// them with (the repositories refuse to move a tag) or their digest. The same rule as the stages'
// app1_image_tag/app2_image_tag variables in terraform/modules/stack/variables.tf.

const commitSha = /^[0-9a-f]{40}$/
const digest = /^sha256:[0-9a-f]{64}$/

export function isDigest(tag: string): boolean {
  return digest.test(tag)
}

/** Why `tag` cannot be released, or null when it can. */
export function tagProblem(tag: string): string | null {
  if (commitSha.test(tag) || digest.test(tag)) return null
  if (tag === 'latest') return '"latest" is refused: name an immutable image (the full commit SHA or the digest)'
  if (tag === '') return 'empty: give the full 40-character commit SHA or sha256:<64 hex>'
  return `"${tag}" is neither a full 40-character lowercase commit SHA nor sha256:<64 hex>`
}

/** `<repository URL>:<tag>` or `<repository URL>@sha256:...`, as terraform/modules/service writes IMAGE=. */
export function imageReference(repositoryUrl: string, tag: string): string {
  return isDigest(tag) ? `${repositoryUrl}@${tag}` : `${repositoryUrl}:${tag}`
}

export interface ParsedReference {
  repositoryUrl: string
  tag: string
}

/** Splits an image reference into repository URL and tag or digest; null when it has neither. */
export function parseReference(reference: string): ParsedReference | null {
  const at = reference.lastIndexOf('@')
  if (at > 0) return { repositoryUrl: reference.slice(0, at), tag: reference.slice(at + 1) }
  const colon = reference.lastIndexOf(':')
  // A colon before the last slash belongs to a registry port, not to a tag.
  if (colon > reference.lastIndexOf('/'))
    return { repositoryUrl: reference.slice(0, colon), tag: reference.slice(colon + 1) }
  return null
}
