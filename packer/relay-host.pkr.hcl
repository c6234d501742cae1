# Builds the relay container host AMI: Amazon Linux 2023 with Docker, the ECR credential helper, the SSM agent
# and the relay-app.service unit. See README.md in this folder for the boot contract.

packer {
  required_version = ">= 1.10.0"
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = "~> 1.3"
    }
  }
}

# AWS publishes the newest AL2023 AMI ID per architecture under this public SSM parameter.
data "amazon-parameterstore" "al2023" {
  name   = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.arch}"
  region = var.region
}

locals {
  build_time = timestamp()
  ami_name   = "relay-host-al2023-${var.arch}-${formatdate("YYYYMMDDhhmmss", local.build_time)}"

  # On everything the build creates, from its first resource: instance, network interface, volume, key pair,
  # security group, and the AMI and its snapshots, which CreateImage tags with these before any other step. The CI
  # role may stop, change, delete or open a session into a resource only if it carries Builder=packer.
  run_tags = {
    Name    = "packer-${local.ami_name}"
    Project = "relay"
    Builder = "packer"
  }

  # Added to the AMI and its snapshots by the build's last step, after the IMDS attribute is set: Terraform's
  # lookup (Role=container-host) never sees an unfinished image. Builder stays, so the CI role can clean up.
  ami_tags = {
    Name      = local.ami_name
    Project   = "relay"
    Builder   = "packer"
    Role      = "container-host"
    Arch      = var.arch
    GitCommit = var.git_commit
    BuildTime = local.build_time
  }
}

source "amazon-ebs" "relay_host" {
  region        = var.region
  ami_name      = local.ami_name
  instance_type = var.instance_types[var.arch]

  # The parameter's AMI ID, accepted only if Amazon owns that image.
  source_ami_filter {
    filters = {
      image-id     = data.amazon-parameterstore.al2023.value
      architecture = var.arch
    }
    owners      = ["amazon"]
    most_recent = true
  }

  # IMDSv2 only, for the build instance and for every instance launched from the AMI.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
  imds_support = "v2.0"

  # The root volume is encrypted from launch, so the AMI's snapshot is too, with the same key. No encrypt_boot: it
  # would copy the image, and the copy's snapshots carry no tags until the last step (packer/README.md).
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    encrypted             = true
    kms_key_id            = var.kms_key_id
    delete_on_termination = true
  }

  # SSH runs inside a Session Manager tunnel with a temporary key pair. With ssh_interface = "session_manager"
  # the builder creates its temporary security group without any ingress rule, so no port is ever opened.
  communicator                = "ssh"
  ssh_username                = "ec2-user"
  ssh_interface               = "session_manager"
  ssh_timeout                 = "10m"
  subnet_id                   = var.subnet_id
  associate_public_ip_address = var.associate_public_ip_address

  # A fixed profile created by Terraform (terraform/modules/github-oidc): Session Manager only. The CI role cannot
  # create IAM roles, so Packer's temporary_iam_instance_profile_policy_document is not an option.
  iam_instance_profile = var.iam_instance_profile

  run_tags        = local.run_tags
  run_volume_tags = local.run_tags
  tags            = local.ami_tags
  snapshot_tags   = local.ami_tags
}

build {
  name    = "relay-host"
  sources = ["source.amazon-ebs.relay_host"]

  # Uploads packer/files to /tmp/files on the build instance.
  provisioner "file" {
    source      = "${path.root}/files"
    destination = "/tmp"
  }

  provisioner "shell" {
    execute_command  = "sudo -S env {{ .Vars }} bash '{{ .Path }}'"
    environment_vars = ["RELAY_FILES_DIR=/tmp/files"]
    scripts = [
      "${path.root}/scripts/upgrade-os.sh",
      "${path.root}/scripts/install-docker.sh",
      "${path.root}/scripts/install-relay-app.sh",
      "${path.root}/scripts/verify.sh",
      "${path.root}/scripts/cleanup.sh",
    ]
  }

  post-processor "manifest" {
    output     = "${path.root}/manifest.json"
    strip_path = true
  }
}
