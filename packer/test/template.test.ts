// Structure test of the Packer template. Packer itself cannot validate offline (it needs the amazon plugin and
// AWS), so this parses the HCL and asserts the settings the security model and the AMI contract rely on.
import { beforeAll, describe, expect, test } from 'bun:test'
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from '@cdktf/hcl2json'

const packerDir = resolve(import.meta.dir, '..')

// biome-ignore lint/suspicious/noExplicitAny: parsed HCL is untyped JSON
type Json = any
let template: Json
let variables: Json
let source: Json
let build: Json

async function parseFile(name: string): Promise<Json> {
  return parse(name, readFileSync(join(packerDir, name), 'utf8'))
}

beforeAll(async () => {
  template = await parseFile('relay-host.pkr.hcl')
  variables = (await parseFile('variables.pkr.hcl')).variable
  source = template.source['amazon-ebs'].relay_host[0]
  build = template.build[0]
})

const fromPathRoot = (path: string) => path.replace('${path.root}', packerDir)

/** The architectures var.arch accepts, from its validation: contains([...], var.arch). */
function architectures(): string[] {
  const condition: string = variables.arch[0].validation[0].condition
  const list = condition.match(/^\$\{contains\((\[.*\]), var\.arch\)\}$/)?.[1]
  if (!list) throw new Error(`unexpected arch validation: ${condition}`)
  return JSON.parse(list)
}

describe('plugins and base image', () => {
  test('requires the official amazon plugin 1.3 or newer within 1.x', () => {
    const amazon = template.packer[0].required_plugins[0].amazon
    expect(amazon).toEqual({ source: 'github.com/hashicorp/amazon', version: '~> 1.3' })
  })

  test("reads the AL2023 AMI ID from AWS's public SSM parameter for the chosen arch", () => {
    const parameter = template.data['amazon-parameterstore'].al2023[0]
    expect(parameter.name).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.arch}')
  })

  test('accepts that AMI only when Amazon owns it and it has the chosen arch', () => {
    const filter = source.source_ami_filter[0]
    expect(filter.owners).toEqual(['amazon'])
    expect(filter.filters).toEqual({
      'image-id': '${data.amazon-parameterstore.al2023.value}',
      architecture: '${var.arch}',
    })
  })

  test('arch is validated to x86_64 or arm64, arm64 by default as the stages run, and each has an instance type', () => {
    expect(architectures()).toEqual(['x86_64', 'arm64'])
    expect(variables.arch[0].default).toBe('arm64')
    const types = variables.instance_types[0].default
    expect(Object.keys(types).sort()).toEqual(['arm64', 'x86_64'])
    expect(source.instance_type).toBe('${var.instance_types[var.arch]}')
  })

  test('git_commit must be a full commit SHA', () => {
    const gitCommit = variables.git_commit[0]
    expect(gitCommit.default).toBeUndefined()
    expect(gitCommit.validation[0].condition).toBe('${can(regex("^[0-9a-f]{40}$", var.git_commit))}')
  })
})

// What the template resolves to for one architecture: the expressions that depend on var.arch, evaluated.
function forArch(arch: string) {
  const resolve = (expression: string) =>
    expression
      .replaceAll('${var.instance_types[var.arch]}', variables.instance_types[0].default[arch])
      .replaceAll('${var.arch}', arch)
  return {
    instanceType: resolve(source.instance_type),
    baseImageParameter: resolve(template.data['amazon-parameterstore'].al2023[0].name),
    baseImageArchitecture: resolve(source.source_ami_filter[0].filters.architecture),
    amiNamePrefix: resolve(template.locals[0].ami_name).replace(/\$\{formatdate\(.*\)\}$/, ''),
    archTag: resolve(template.locals[0].ami_tags.Arch),
  }
}

describe.each(['x86_64', 'arm64'])('the %s build', (arch) => {
  const graviton = /^[a-z]+\d+[a-z]*g[a-z]*\./

  test('runs on an instance type of that architecture (Graviton for arm64)', () => {
    const { instanceType } = forArch(arch)
    if (arch === 'arm64') expect(instanceType).toMatch(graviton)
    else expect(instanceType).not.toMatch(graviton)
  })

  test("starts from AWS's AL2023 parameter of that architecture and accepts only an image of it", () => {
    const { baseImageParameter, baseImageArchitecture } = forArch(arch)
    expect(baseImageParameter).toBe(`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`)
    expect(baseImageArchitecture).toBe(arch)
  })

  test('names and tags the AMI with that architecture', () => {
    const { amiNamePrefix, archTag } = forArch(arch)
    expect(amiNamePrefix).toBe(`relay-host-al2023-${arch}-`)
    expect(archTag).toBe(arch)
  })
})

test('the packer workflow builds every architecture the template accepts', () => {
  const workflow: Json = Bun.YAML.parse(
    readFileSync(join(packerDir, '..', '.github', 'workflows', 'packer.yml'), 'utf8'),
  )
  expect(workflow.jobs.build.strategy.matrix.arch).toEqual(architectures())
})

describe('hardening', () => {
  test('IMDSv2 only, on the build instance and on the AMI', () => {
    expect(source.metadata_options[0].http_tokens).toBe('required')
    expect(source.imds_support).toBe('v2.0')
  })

  test('root volume is encrypted gp3 from launch, so the AMI snapshot is encrypted with its key, without a copy', () => {
    const [root] = source.launch_block_device_mappings
    expect(source.launch_block_device_mappings).toHaveLength(1)
    expect(root).toMatchObject({
      device_name: '/dev/xvda',
      volume_type: 'gp3',
      encrypted: true,
      kms_key_id: '${var.kms_key_id}',
    })
    // encrypt_boot (and the top-level kms_key_id it requires) copies the image: see ci-role-contract.test.ts.
    expect(source).not.toHaveProperty('encrypt_boot')
    expect(source).not.toHaveProperty('kms_key_id')
  })

  test('connects over SSH inside a Session Manager tunnel, so no inbound rule is ever created', () => {
    expect(source.communicator).toBe('ssh')
    expect(source.ssh_interface).toBe('session_manager')
    for (const opener of [
      'temporary_security_group_source_cidrs',
      'temporary_security_group_source_public_ip',
      'security_group_id',
      'security_group_ids',
      'security_group_filter',
      'ssh_keypair_name',
      'ssh_password',
    ]) {
      expect(source).not.toHaveProperty(opener)
    }
  })

  test('the build instance gets the fixed Session Manager profile; Packer creates no IAM role', () => {
    expect(source.iam_instance_profile).toBe('${var.iam_instance_profile}')
    expect(variables.iam_instance_profile[0].default).toBe('relay-packer-build')
    expect(source).not.toHaveProperty('temporary_iam_instance_profile_policy_document')
  })

  test('a subnet, when given, must be a subnet ID', () => {
    const subnet = variables.subnet_id[0]
    expect(subnet.default).toBe('')
    expect(subnet.validation[0].condition).toBe(
      '${var.subnet_id == "" || can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))}',
    )
  })

  test('holds no AWS credentials', () => {
    const text = readdirSync(packerDir)
      .filter((name) => name.endsWith('.pkr.hcl'))
      .map((name) => readFileSync(join(packerDir, name), 'utf8'))
      .join('\n')
    expect(text).not.toMatch(/access_key|secret_key|token\s*=|AKIA[0-9A-Z]{16}/)
  })
})

describe('AMI contract (Terraform looks the AMI up by these)', () => {
  test('name is relay-host-al2023-<arch>-<YYYYMMDDhhmmss> from one build timestamp', () => {
    const locals = template.locals[0]
    expect(source.ami_name).toBe('${local.ami_name}')
    expect(locals.build_time).toBe('${timestamp()}')
    expect(locals.ami_name).toBe('relay-host-al2023-${var.arch}-${formatdate("YYYYMMDDhhmmss", local.build_time)}')
  })

  test("AMI and snapshots carry the contract's tags", () => {
    const locals = template.locals[0]
    expect(locals.ami_tags).toEqual({
      Name: '${local.ami_name}',
      Project: 'relay',
      Builder: 'packer',
      Role: 'container-host',
      Arch: '${var.arch}',
      GitCommit: '${var.git_commit}',
      BuildTime: '${local.build_time}',
    })
    expect(source.tags).toBe('${local.ami_tags}')
    expect(source.snapshot_tags).toBe('${local.ami_tags}')
  })

  test("the build's own resources are tagged as such, but not as a relay host until the last step", () => {
    expect(source.run_tags).toBe('${local.run_tags}')
    expect(source.run_volume_tags).toBe('${local.run_tags}')
    expect(template.locals[0].run_tags).not.toHaveProperty('Role')
  })
})

describe('provisioning', () => {
  test('builds the amazon-ebs source', () => {
    expect(build.sources).toEqual(['source.amazon-ebs.relay_host'])
  })

  test('uploads the files folder, which holds the unit, its script and the docker configs', () => {
    const [upload] = build.provisioner.file
    expect(upload.source).toBe('${path.root}/files')
    for (const name of ['relay-app.service', 'relay-app-container', 'daemon.json', 'docker-config.json']) {
      expect(existsSync(join(fromPathRoot(upload.source), name))).toBe(true)
    }
  })

  test('runs every script in scripts/, each existing and executable, upgrade first and cleanup last', () => {
    const scripts: string[] = build.provisioner.shell.flatMap((shell: Json) => shell.scripts)
    const paths = scripts.map(fromPathRoot)
    for (const path of paths) {
      accessSync(path, constants.X_OK)
    }
    const onDisk = readdirSync(join(packerDir, 'scripts')).map((name) => join(packerDir, 'scripts', name))
    expect([...paths].sort()).toEqual(onDisk.sort())
    expect(paths[0]).toEndWith('/upgrade-os.sh')
    expect(paths.at(-1)).toEndWith('/cleanup.sh')
  })

  test('scripts only use files that the upload provides', () => {
    const uploaded = join(packerDir, 'files')
    for (const script of readdirSync(join(packerDir, 'scripts'))) {
      const text = readFileSync(join(packerDir, 'scripts', script), 'utf8')
      for (const [, name] of text.matchAll(/"\$files\/([^"]+)"/g)) {
        expect(existsSync(join(uploaded, name))).toBe(true)
      }
    }
  })

  test("scripts receive the upload's location", () => {
    const [shell] = build.provisioner.shell
    expect(shell.environment_vars).toContain('RELAY_FILES_DIR=/tmp/files')
  })

  test('installs Docker and the ECR credential helper, enables Docker and the SSM agent', () => {
    const install = readFileSync(join(packerDir, 'scripts', 'install-docker.sh'), 'utf8')
    expect(install).toMatch(/dnf --assumeyes install docker amazon-ecr-credential-helper/)
    expect(install).toMatch(/systemctl enable docker\.service/)
    expect(install).toMatch(/systemctl enable amazon-ssm-agent\.service/)
    expect(install).not.toMatch(/^[^#]*docker login/m)
  })

  test("root's docker config uses the ECR credential helper and holds no credentials", () => {
    const config = JSON.parse(readFileSync(join(packerDir, 'files', 'docker-config.json'), 'utf8'))
    expect(config).toEqual({ credsStore: 'ecr-login' })
  })

  test('docker daemon keeps containers across daemon restarts, isolates bridge containers, caps log files', () => {
    const daemon = JSON.parse(readFileSync(join(packerDir, 'files', 'daemon.json'), 'utf8'))
    expect(daemon['live-restore']).toBe(true)
    expect(daemon.icc).toBe(false)
    expect(daemon['log-opts']['max-size']).toBeDefined()
  })

  test('installs the unit without enabling it', () => {
    const install = readFileSync(join(packerDir, 'scripts', 'install-relay-app.sh'), 'utf8')
    expect(install).toMatch(/\/etc\/systemd\/system\/relay-app\.service/)
    expect(install).toMatch(/\/usr\/local\/bin\/relay-app-container/)
    expect(install).not.toMatch(/systemctl enable/)
  })

  test('cleanup removes per-instance state: host keys, authorized keys, machine ID, cloud-init, caches', () => {
    const cleanup = readFileSync(join(packerDir, 'scripts', 'cleanup.sh'), 'utf8')
    for (const step of [
      /rm -f \/etc\/ssh\/ssh_host_\*/,
      /authorized_keys/,
      /truncate --size 0 \/etc\/machine-id/,
      /cloud-init clean --logs/,
      /dnf clean all/,
      /journalctl --vacuum/,
    ]) {
      expect(cleanup).toMatch(step)
    }
  })
})
