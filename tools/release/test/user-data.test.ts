import { describe, expect, test } from 'bun:test'
import { imageReference, parseReference, tagProblem } from '../src/image'
import { readImage, replaceImage } from '../src/user-data'
import { cloudConfig, registry, sha } from './fake-aws'

const digest = `sha256:${'d'.repeat(64)}`

describe('user data', () => {
  test('reads the image runtime.env names', () => {
    expect(readImage(cloudConfig('app1', sha('1')))).toBe(`${registry}/relay/app1:${sha('1')}`)
    expect(readImage(cloudConfig('app1', digest))).toBe(`${registry}/relay/app1@${digest}`)
  })

  test('changes the image and nothing else, from tag to digest and back', () => {
    const tagged = cloudConfig('app2', sha('1'))
    const pinned = replaceImage(tagged, `${registry}/relay/app2@${digest}`)
    expect(pinned).toBe(cloudConfig('app2', digest))
    expect(replaceImage(pinned, `${registry}/relay/app2:${sha('1')}`)).toBe(tagged)
  })

  test('refuses what it cannot change safely', () => {
    const image = `${registry}/relay/app1:${sha('1')}`
    const config = cloudConfig('app1', sha('1'))
    // The same reference elsewhere in the document: the edit would not be the image line alone.
    const twice = config.replace('PORT=8080\\n"', `PORT=8080\\nOLD_IMAGE=${image}\\n"`)
    expect(() => replaceImage(twice, `${registry}/relay/app1:${sha('2')}`)).toThrow(
      `"IMAGE=${image}" occurs 2 times in it instead of once`,
    )
    expect(() => readImage(config.replace('IMAGE=', 'PICTURE='))).toThrow('has 0 IMAGE= lines instead of one')
    expect(() => readImage(config.replace('#cloud-config', '#!/bin/sh'))).toThrow('not a #cloud-config document')
    expect(() => readImage(config.replace('/etc/relay/runtime.env', '/etc/relay/other.env'))).toThrow(
      'no single write_files entry /etc/relay/runtime.env',
    )
    expect(() => readImage(`${config}  - [unclosed\n`)).toThrow('not valid YAML')
  })
})

describe('image tags and references', () => {
  test('only full commit SHAs and digests are releasable', () => {
    expect(tagProblem(sha('a'))).toBeNull()
    expect(tagProblem(digest)).toBeNull()
    expect(tagProblem('latest')).toContain('"latest" is refused')
    expect(tagProblem('')).toContain('empty')
    expect(tagProblem('a'.repeat(39))).toContain('neither')
    expect(tagProblem(sha('A'))).toContain('neither')
    expect(tagProblem(`sha256:${'d'.repeat(63)}`)).toContain('neither')
    expect(tagProblem(`${sha('a')}\n`)).toContain('neither')
  })

  test('a reference splits into repository and tag or digest', () => {
    expect(imageReference('r/x', sha('a'))).toBe(`r/x:${sha('a')}`)
    expect(parseReference(`${registry}/relay/app1@${digest}`)).toEqual({
      repositoryUrl: `${registry}/relay/app1`,
      tag: digest,
    })
    expect(parseReference('localhost:5000/relay/app1:v1')).toEqual({
      repositoryUrl: 'localhost:5000/relay/app1',
      tag: 'v1',
    })
    expect(parseReference('localhost:5000/relay/app1')).toBeNull()
  })
})
