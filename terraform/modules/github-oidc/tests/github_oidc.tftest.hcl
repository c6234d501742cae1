mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
  }
}

variables {
  github_repository   = "example-org/relay"
  ecr_repository_arns = ["arn:aws:ecr:eu-west-1:123456789012:repository/relay/app1", "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app2"]
  state_bucket_name   = "relay-tfstate-test"
  deploy_stages       = ["dev", "prod"]
  tags                = { Project = "relay" }
}

run "push_role_trusts_only_the_main_branch_of_the_repository" {
  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The OIDC provider is GitHub's, for the STS audience."
  }

  assert {
    condition = (
      jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Principal.Federated == aws_iam_openid_connect_provider.github[0].arn &&
      jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com" &&
      jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:example-org/relay:ref:refs/heads/main"]
    )
    error_message = "ci-push may only be assumed by workflow runs on main of the given repository."
  }

  assert {
    condition     = aws_iam_role.ci_push.name == "relay-ci-push" && aws_iam_role.ci_push.tags["Project"] == "relay"
    error_message = "Role names follow name_prefix and carry the tags."
  }
}

run "push_role_pushes_to_the_given_repositories_only" {
  assert {
    condition = (
      jsondecode(aws_iam_role_policy.ci_push.policy).Statement[0].Action == "ecr:GetAuthorizationToken" &&
      toset(jsondecode(aws_iam_role_policy.ci_push.policy).Statement[1].Resource) == toset(var.ecr_repository_arns)
    )
    error_message = "ci-push may log in to ECR and push to the given repositories, nothing else."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.ci_push.policy).Statement : s.Resource != "*" if s.Action != "ecr:GetAuthorizationToken"])
    error_message = "Only GetAuthorizationToken (which has no resource scope) may use Resource *."
  }
}

run "no_ci_role_can_escalate" {
  assert {
    condition     = keys(output.roles) == ["ci-packer", "ci-plan", "ci-push", "deploy-dev", "deploy-prod", "packer-build"]
    error_message = "output.roles lists every role of the module, so that the checks below see them all."
  }

  assert {
    condition = alltrue(flatten([
      for role in values(output.roles) : [
        for policy in role.policies : [
          for s in jsondecode(policy).Statement : [
            for action in flatten([s.Action]) : can(regex("^iam:(Get|List)[A-Za-z]+$", action)) || action == "iam:PassRole" if startswith(lower(action), "iam:")
          ]
        ]
      ]
    ]))
    error_message = "No role may change IAM (create or change roles, policies, profiles, users): IAM reads and PassRole only."
  }

  assert {
    condition = alltrue(flatten([
      for role in values(output.roles) : [
        for policy in role.policies : [
          for s in jsondecode(policy).Statement : [for action in flatten([s.Action]) : action != "*" && !endswith(action, ":*")]
        ]
      ]
    ]))
    error_message = "No role is granted a whole service (\"*\" or \"<service>:*\")."
  }

  assert {
    condition = alltrue(flatten([
      for role in values(output.roles) : [
        for policy in role.policies : [
          for s in jsondecode(policy).Statement : [
            for resource in flatten([s.Resource]) : !strcontains(resource, "*") && try(s.Condition.StringEquals["iam:PassedToService"], "") == "ec2.amazonaws.com"
          ] if contains(flatten([s.Action]), "iam:PassRole")
        ]
      ]
    ]))
    error_message = "PassRole names each role it may pass (no wildcard) and passes it to EC2 only."
  }

  assert {
    condition = alltrue(flatten([
      for role in values(output.roles) : [
        for policy in role.policies : [
          for s in jsondecode(policy).Statement : [
            for action in flatten([s.Action]) : !contains(["sts:AssumeRole", "ssm:SendCommand", "ec2:AssociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation", "lambda:CreateFunction", "lambda:UpdateFunctionCode"], action)
          ]
        ]
      ]
    ]))
    error_message = "No role may take another identity or run code through another service's identity."
  }

  assert {
    condition     = alltrue([for policies in [for role in values(output.roles) : role.policies] : length(join("", policies)) <= 10240])
    error_message = "AWS refuses inline policies of more than 10,240 characters per role."
  }
}

run "only_the_plan_role_trusts_pull_requests" {
  assert {
    condition     = jsondecode(aws_iam_role.ci_plan.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:example-org/relay:pull_request"]
    error_message = "ci-plan may be assumed by pull request runs of the given repository only: nothing on main plans."
  }

  assert {
    condition = alltrue([
      for name, role in output.roles : !strcontains(role.trust_policy, ":pull_request") if name != "ci-plan"
    ])
    error_message = "No role but ci-plan trusts pull requests."
  }
}

run "plan_role_writes_nothing" {
  assert {
    condition = alltrue(flatten([
      for policy in output.roles["ci-plan"].policies : [
        for s in jsondecode(policy).Statement : [
          for action in flatten([s.Action]) : can(regex("^[a-z0-9-]+:(Describe|Get|List)[A-Za-z0-9]+$", action)) && s.Effect == "Allow"
        ]
      ]
    ]))
    error_message = "Every action ci-plan is allowed is a Describe, Get or List read (no lock file either: plans run with -lock=false)."
  }

  assert {
    condition     = length(output.roles["ci-plan"].policies) == 1
    error_message = "No KMS statement without state_kms_key_arn."
  }
}

run "plan_role_reads_no_data_but_the_state_and_project_parameters" {
  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.ci_plan.policy).Statement : [
        for resource in flatten([s.Resource]) : resource == "arn:aws:s3:::relay-tfstate-test/*.tfstate"
      ] if contains(flatten([s.Action]), "s3:GetObject")
    ]))
    error_message = "ci-plan reads the objects of the state bucket's *.tfstate and no other object."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.ci_plan.policy).Statement : [
        for resource in flatten([s.Resource]) : resource == "arn:aws:ssm:*:123456789012:parameter/relay/*"
      ] if anytrue([for action in flatten([s.Action]) : startswith(action, "ssm:GetParameter")])
    ]))
    error_message = "ci-plan reads parameter values under /relay/ only."
  }

  assert {
    condition = length(setintersection(
      flatten([for s in jsondecode(aws_iam_role_policy.ci_plan.policy).Statement : s.Action]),
      [
        "secretsmanager:GetSecretValue", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:GetLogRecord", "logs:StartQuery",
        "logs:GetQueryResults", "lambda:GetFunction", "kinesis:GetRecords", "athena:GetQueryResults", "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "ec2:GetConsoleOutput",
        "ec2:GetPasswordData", "kms:Decrypt", "sqs:ReceiveMessage",
      ],
    )) == 0
    error_message = "ci-plan reads no data: secrets, log events and records, function code, stream records, query results, image layers, items, console output, decrypted values."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.ci_plan.policy).Statement : [
        for resource in flatten([s.Resource]) : contains(["arn:aws:s3:::relay-*", "arn:aws:s3:::relay-tfstate-test"], resource)
      ] if anytrue([for action in flatten([s.Action]) : startswith(action, "s3:") && action != "s3:GetObject"])
    ]))
    error_message = "ci-plan reads the configuration of the project's buckets and the state bucket only."
  }
}

run "plan_role_may_decrypt_state_with_its_key" {
  variables {
    state_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition = (
      jsondecode(aws_iam_role_policy.ci_plan_state_key[0].policy).Statement[0].Action == "kms:Decrypt" &&
      jsondecode(aws_iam_role_policy.ci_plan_state_key[0].policy).Statement[0].Resource == var.state_kms_key_arn &&
      jsondecode(aws_iam_role_policy.ci_plan_state_key[0].policy).Statement[0].Condition.StringEquals["kms:ViaService"] == "s3.eu-west-1.amazonaws.com"
    )
    error_message = "With a customer managed state key, ci-plan may decrypt with that key through S3, and only that."
  }
}

run "packer_role_builds_with_the_fixed_profile_and_touches_only_build_resources" {
  assert {
    condition     = jsondecode(aws_iam_role.ci_packer[0].assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:example-org/relay:ref:refs/heads/main"]
    error_message = "ci-packer may only be assumed by workflow runs on main."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement : s.Resource if s.Action == "iam:PassRole"
    ]) == "arn:aws:iam::123456789012:role/relay-packer-build" && aws_iam_role.packer_build[0].name == "relay-packer-build" && aws_iam_instance_profile.packer_build[0].role == "relay-packer-build"
    error_message = "ci-packer may pass the build instance's role and no other; the build profile holds that role."
  }

  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.packer_build[0].policy).Statement : s.Action])) == toset([
      "ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
    ]) && jsondecode(aws_iam_role.packer_build[0].assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"
    error_message = "The build instance's role allows what the SSM agent needs for Session Manager, nothing else."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["aws:RequestedRegion"], "") == "eu-west-1" if s.Resource == "*"
    ])
    error_message = "EC2 actions that cannot be scoped by ARN are held to the stage's region."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["ec2:ResourceTag/Builder"], "") == "packer"
      if length(setintersection(flatten([s.Action]), [
        "ec2:TerminateInstances", "ec2:StopInstances", "ec2:ModifyInstanceAttribute", "ec2:DeleteVolume", "ec2:DeregisterImage",
        "ec2:DeleteSnapshot", "ec2:ModifyImageAttribute", "ec2:DeleteKeyPair", "ec2:DeleteSecurityGroup",
      ])) > 0
    ])
    error_message = "What stops, changes or deletes existing EC2 resources is held to the build's own (tagged Builder=packer)."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["ec2:ResourceTag/Builder"], "") == "packer" || (
        try(s.Condition.StringEquals["aws:RequestTag/Builder"], "") == "packer" && length(try(s.Condition.StringEquals["ec2:CreateAction"], [])) > 0
      ) if contains(flatten([s.Action]), "ec2:CreateTags")
    ])
    error_message = "ci-packer tags only build resources, or what it creates and only with Builder=packer: it cannot give the tag to an existing resource."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["ec2:ResourceTag/Builder"], "") == "packer" || try(s.Condition.StringEquals["aws:RequestTag/Builder"], "") == "packer"
      if contains(flatten([s.Action]), "ec2:CreateImage")
    ])
    error_message = "ci-packer images build instances only, into images and snapshots tagged as build resources."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      s.Resource == "arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSession" || (
        s.Resource == "arn:aws:ec2:eu-west-1:123456789012:instance/*" &&
        try(s.Condition.StringEquals["ssm:resourceTag/Builder"], "") == "packer" &&
        try(s.Condition.Bool["ssm:SessionDocumentAccessCheck"], "") == "true"
      ) if s.Action == "ssm:StartSession"
    ])
    error_message = "Sessions only into build instances, only with the port-forwarding document."
  }

  assert {
    condition = length([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement : s
      if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1::image/*")
      ]) > 0 && alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["ec2:Owner"], "") == "amazon" && flatten([s.Resource]) == ["arn:aws:ec2:eu-west-1::image/*"]
      if contains(flatten([s.Action]), "ec2:RunInstances") && anytrue([for resource in flatten([s.Resource]) : resource == "*" || strcontains(resource, ":image/")])
    ])
    error_message = "ci-packer launches Amazon's images only (no Resource * grant of RunInstances)."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement : [
        for resource in flatten([s.Resource]) : contains([
          "arn:aws:ec2:eu-west-1::image/*", "arn:aws:ec2:eu-west-1:123456789012:subnet/*", "arn:aws:ec2:eu-west-1:123456789012:key-pair/*",
          "arn:aws:ec2:eu-west-1:123456789012:security-group/*", "arn:aws:ec2:eu-west-1:123456789012:instance/*",
          "arn:aws:ec2:eu-west-1:123456789012:volume/*", "arn:aws:ec2:eu-west-1:123456789012:network-interface/*",
        ], resource)
      ] if contains(flatten([s.Action]), "ec2:RunInstances")
    ]))
    error_message = "ci-packer's launches use no snapshot (a volume from one of the account's snapshots) and nothing but the build's resources."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["ec2:ResourceTag/Builder"], "") == "packer"
      if s.Action == "ec2:RunInstances" && length(setintersection(flatten([s.Resource]), ["arn:aws:ec2:eu-west-1:123456789012:key-pair/*", "arn:aws:ec2:eu-west-1:123456789012:security-group/*"])) > 0
      ]) && alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["aws:RequestTag/Builder"], "") == "packer"
      if s.Action == "ec2:RunInstances" && length(setintersection(flatten([s.Resource]), ["arn:aws:ec2:eu-west-1:123456789012:instance/*", "arn:aws:ec2:eu-west-1:123456789012:volume/*"])) > 0
    ])
    error_message = "A build instance gets the build's own security group and key pair, and it and its volumes are tagged Builder=packer from launch."
  }

  assert {
    condition     = output.ci_packer_role_arn == aws_iam_role.ci_packer[0].arn && output.packer_instance_profile_name == "relay-packer-build"
    error_message = "ci_packer_role_arn is the role's ARN; the build profile is PREFIX-packer-build."
  }
}

run "deploy_roles_release_their_own_stage_only" {
  assert {
    condition = alltrue([
      for stage in ["dev", "prod"] :
      jsondecode(aws_iam_role.deploy[stage].assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:example-org/relay:environment:${stage}"]
    ]) && output.deploy_role_arns == { dev = aws_iam_role.deploy["dev"].arn, prod = aws_iam_role.deploy["prod"].arn }
    error_message = "Each deploy role trusts jobs of the GitHub environment of its stage only."
  }

  assert {
    condition = alltrue([
      for stage in ["dev", "prod"] : toset(flatten([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : s.Resource if s.Action == "iam:PassRole"
      ])) == toset(["arn:aws:iam::123456789012:role/relay-${stage}-app1-instance", "arn:aws:iam::123456789012:role/relay-${stage}-app2-instance"])
    ])
    error_message = "A deploy role passes its stage's two instance roles only."
  }

  assert {
    condition = alltrue(flatten([
      for stage in ["dev", "prod"] : [
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        s.Resource == "arn:aws:ssm:eu-west-1:123456789012:parameter/relay/${stage}/*" if anytrue([for action in flatten([s.Action]) : startswith(action, "ssm:")])
      ]
    ]))
    error_message = "A deploy role reads and writes the parameters of its stage's path only."
  }

  assert {
    condition = alltrue(flatten([
      for stage in ["dev", "prod"] : [
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : toset(flatten([s.Resource])) == toset([
          "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/relay-${stage}-app1",
          "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/relay-${stage}-app2",
        ]) if contains(flatten([s.Action]), "autoscaling:StartInstanceRefresh")
      ]
    ]))
    error_message = "A deploy role refreshes its stage's two groups only."
  }

  assert {
    condition = alltrue(flatten([
      for stage in ["dev", "prod"] : [
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        try(s.Condition.StringEquals["aws:ResourceTag/Name"], []) == ["relay-${stage}-app1", "relay-${stage}-app2"] && try(s.Condition.StringEquals["aws:ResourceTag/Environment"], "") == stage
        if length(setintersection(flatten([s.Action]), ["ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplateVersions"])) > 0 || s.Resource == "arn:aws:ec2:eu-west-1:123456789012:launch-template/*"
      ]
    ]))
    error_message = "A deploy role adds and removes versions of, and launches, its stage's two launch templates only."
  }

  assert {
    condition = alltrue(flatten([
      for stage in ["dev", "prod"] : [
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : [
          for action in flatten([s.Action]) : can(regex("^(ec2|autoscaling):(Describe|CreateLaunchTemplateVersion$|DeleteLaunchTemplateVersions$|RunInstances$|CreateTags$|StartInstanceRefresh$|CancelInstanceRefresh$)", action)) if startswith(action, "ec2:") || startswith(action, "autoscaling:")
        ]
      ]
    ]))
    error_message = "A deploy role cannot change infrastructure: no security group, group or template is created, changed or deleted."
  }
}

# What a deploy role may launch: only through Auto Scaling's check of a refresh (aws:ViaAWSService), from its stage's
# templates, with each resource held to the stage. Every assertion also requires the statement it checks to exist.
run "deploy_roles_launch_only_what_their_stage_templates_launch_into_their_stage" {
  assert {
    condition = alltrue(flatten([
      for stage in ["dev", "prod"] : [
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        try(s.Condition.Bool["aws:ViaAWSService"], "") == "true" && (
          s.Resource == "arn:aws:ec2:eu-west-1:123456789012:launch-template/*" ||
          try(s.Condition.ArnLike["ec2:LaunchTemplate"], "") == "arn:aws:ec2:eu-west-1:123456789012:launch-template/*"
        ) if s.Action == "ec2:RunInstances"
      ]
    ]))
    error_message = "A deploy role launches only when Auto Scaling checks a refresh with its credentials (never a RunInstances call of its own), and only through a launch template."
  }

  assert {
    condition = alltrue(flatten([
      for stage in ["dev", "prod"] : [
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : [
          for resource in flatten([s.Resource]) : anytrue([
            for type in ["launch-template", "image", "subnet", "security-group", "instance", "network-interface", "volume"] : can(regex("^arn:aws:ec2:eu-west-1:(123456789012)?:${type}/\\*$", resource))
          ])
        ] if s.Action == "ec2:RunInstances"
      ]
    ]))
    error_message = "A deploy role's launches use launch templates, images, subnets, security groups, and create instances, network interfaces and volumes: nothing else (no snapshot, no key pair, no Resource *)."
  }

  assert {
    condition = alltrue([
      for stage in ["dev", "prod"] : length([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : s
        if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1::image/*")
        ]) > 0 && alltrue([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        try(s.Condition.StringEquals["ec2:Owner"], "") == "123456789012" && try(s.Condition.Bool["ec2:IsLaunchTemplateResource"], "") == "true"
        if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1::image/*")
      ])
    ])
    error_message = "A deploy role launches only the image its template names, and only one the account owns."
  }

  assert {
    condition = alltrue([
      for stage in ["dev", "prod"] : length([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : s
        if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1:123456789012:subnet/*")
        ]) > 0 && alltrue([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        try(s.Condition.StringEquals["aws:ResourceTag/Environment"], "") == stage && try(s.Condition.StringEquals["aws:ResourceTag/Tier"], "") == "private"
        if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1:123456789012:subnet/*")
      ])
    ])
    error_message = "A deploy role launches into its own stage's private subnets only (tagged Environment=<stage>, Tier=private): dev never into prod's network."
  }

  assert {
    condition = alltrue([
      for stage in ["dev", "prod"] : length([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : s
        if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1:123456789012:security-group/*")
        ]) > 0 && alltrue([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        try(s.Condition.StringEquals["aws:ResourceTag/Environment"], "") == stage &&
        try(s.Condition.StringEquals["aws:ResourceTag/Name"], []) == ["relay-${stage}-app1", "relay-${stage}-app2"] &&
        try(s.Condition.Bool["ec2:IsLaunchTemplateResource"], "") == "true"
        if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1:123456789012:security-group/*")
      ])
    ])
    error_message = "A deploy role launches with its stage's service security groups only, as its template names them: never prod's app1 group from dev."
  }

  assert {
    condition = alltrue([
      for stage in ["dev", "prod"] : length([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement : s
        if s.Action == "ec2:RunInstances" && length(setintersection(flatten([s.Resource]), ["arn:aws:ec2:eu-west-1:123456789012:volume/*", "arn:aws:ec2:eu-west-1:123456789012:network-interface/*"])) > 0
        ]) > 0 && alltrue([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        try(s.Condition.StringEquals["aws:RequestTag/Environment"], "") == stage
        if s.Action == "ec2:RunInstances" && length(setintersection(flatten([s.Resource]), ["arn:aws:ec2:eu-west-1:123456789012:volume/*", "arn:aws:ec2:eu-west-1:123456789012:network-interface/*"])) > 0
        ]) && alltrue([
        for s in jsondecode(aws_iam_role_policy.deploy[stage].policy).Statement :
        try(s.Condition.Bool["ec2:IsLaunchTemplateResource"], "") == "true"
        if s.Action == "ec2:RunInstances" && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1:123456789012:instance/*")
      ])
    ])
    error_message = "The volumes and network interfaces a deploy role's launch creates carry its stage's Environment tag; the instance is the template's."
  }
}

run "packer_role_launches_into_the_given_subnet_only" {
  variables {
    packer_subnet_id = "subnet-0123456789abcdef0"
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement : s.Resource
      if s.Action == "ec2:RunInstances" && anytrue([for resource in flatten([s.Resource]) : strcontains(resource, ":subnet/")])
    ] == ["arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0"]
    error_message = "With packer_subnet_id, ci-packer launches into that subnet and no other."
  }
}

run "existing_provider_is_used_and_packer_role_is_optional" {
  variables {
    create_oidc_provider = false
    oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    push_branch          = "release"
    create_packer_role   = false
    deploy_stages        = []
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && output.oidc_provider_arn == var.oidc_provider_arn
    error_message = "An existing provider is used instead of creating one."
  }

  assert {
    condition     = jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:example-org/relay:ref:refs/heads/release"]
    error_message = "push_branch sets the branch ci-push trusts."
  }

  assert {
    condition     = length(aws_iam_role.ci_packer) == 0 && length(aws_iam_role.packer_build) == 0 && output.ci_packer_role_arn == null && output.packer_instance_profile_name == null
    error_message = "No packer roles when create_packer_role is false."
  }

  assert {
    condition     = keys(output.roles) == ["ci-plan", "ci-push"] && output.deploy_role_arns == {}
    error_message = "No deploy role without deploy_stages."
  }
}

run "rejects_a_repository_without_owner" {
  command = plan

  variables {
    github_repository = "relay"
  }

  expect_failures = [var.github_repository]
}

run "rejects_a_missing_provider_arn" {
  command = plan

  variables {
    create_oidc_provider = false
  }

  expect_failures = [var.oidc_provider_arn]
}

run "rejects_non_ecr_arns" {
  command = plan

  variables {
    ecr_repository_arns = ["*"]
  }

  expect_failures = [var.ecr_repository_arns]
}

run "rejects_a_wildcard_branch" {
  command = plan

  variables {
    push_branch = "*"
  }

  expect_failures = [var.push_branch]
}

run "rejects_a_wildcard_or_repeated_stage" {
  command = plan

  variables {
    deploy_stages = ["dev", "dev", "*"]
  }

  expect_failures = [var.deploy_stages]
}

run "rejects_a_packer_subnet_that_is_not_a_subnet_id" {
  command = plan

  variables {
    packer_subnet_id = "*"
  }

  expect_failures = [var.packer_subnet_id]
}
