#!/usr/bin/env bash
# `make images`: what the apps workflow does on main, for a setup without GitHub Actions. Builds app1 and app2 for
# linux/amd64 and linux/arm64 (one multi-platform image each, the service kit as the build context service-kit)
# and pushes them to ECR as relay/<app>:<full SHA of the checked-out commit>.
#   AWS_REGION=eu-west-1 scripts/images.sh [app1|app2]...      (no app: both)
# Refuses a working tree with changes: a tag names a commit. A tag that is already in ECR is left as it is (tags
# are immutable there) and said so. Afterwards each tag is looked up in ECR. Unlike CI it does not run Trivy;
# ECR scans each image on push.
# Needs Docker with the buildx plugin, the AWS CLI and AWS credentials (any source the CLI reads). It builds with a
# builder of its own, relay-images (docker-container driver, which can export multi-platform images; no QEMU
# needed, the Dockerfile cross-compiles): `docker buildx rm relay-images` removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ecr.sh

PLATFORMS=linux/amd64,linux/arm64
BUILDER=relay-images

fail() {
  echo "images.sh: $*" >&2
  exit 1
}

apps=()
for arg in "$@"; do
  case "$arg" in
    app1 | app2) [[ " ${apps[*]} " == *" $arg "* ]] || apps+=("$arg") ;;
    -h | --help)
      sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "usage: scripts/images.sh [app1|app2]...   (with AWS_REGION and AWS credentials)" >&2
      exit 2
      ;;
  esac
done
[ "${#apps[@]}" -gt 0 ] || apps=(app1 app2)

command -v docker >/dev/null || fail "docker is not installed (https://docs.docker.com/engine/install/)"
docker buildx version >/dev/null 2>&1 || fail "docker has no buildx plugin: install docker-buildx-plugin (https://docs.docker.com/build/)"
docker info >/dev/null 2>&1 || fail "cannot reach the Docker daemon: is it running, and may this user use it?"
command -v aws >/dev/null || fail "the AWS CLI is not installed (https://aws.amazon.com/cli/)"
[ -n "${AWS_REGION:-}" ] || fail "set AWS_REGION to the region of the ECR repositories (e.g. eu-west-1)"

changes=$(git status --porcelain 2>/dev/null) || fail "not a git checkout: the image tag is the commit's SHA"
[ -z "$changes" ] || fail "the working tree has changes (git status): commit or stash them, an image tag names a commit"
sha=$(git rev-parse HEAD)
created=$(git log -1 --format=%cI)
# The repository's web address for the OCI label, without any credentials an https remote may hold.
source_url=$(git remote get-url origin 2>/dev/null | sed -E 's#^git@([^:]+):#https://\1/#; s#^(https?://)[^@/]*@#\1#; s#\.git$##') ||
  source_url=unknown

aws sts get-caller-identity >/dev/null 2>&1 ||
  fail "no valid AWS credentials: log in first (aws sso login, AWS_PROFILE or access keys)"

declare -A repository_uri
for app in "${apps[@]}"; do
  errors=$(mktemp)
  if ! repository_uri[$app]=$(aws ecr describe-repositories --repository-names "relay/$app" \
    --query 'repositories[0].repositoryUri' --output text 2>"$errors"); then
    if grep -q RepositoryNotFoundException "$errors"; then
      rm -f "$errors"
      fail "ECR repository relay/$app not found in $AWS_REGION: apply terraform/envs/global first, or set AWS_REGION to its region"
    fi
    message=$(grep -v '^\s*$' "$errors" | head -n1)
    rm -f "$errors"
    fail "cannot look up ECR repository relay/$app: $message"
  fi
  rm -f "$errors"
done

registry=${repository_uri[${apps[0]}]%%/*}
aws ecr get-login-password | docker login --username AWS --password-stdin "$registry" >/dev/null ||
  fail "docker login to $registry failed"
docker buildx inspect "$BUILDER" >/dev/null 2>&1 ||
  docker buildx create --name "$BUILDER" --driver docker-container >/dev/null ||
  fail "could not create the buildx builder $BUILDER (docker-container driver)"

for app in "${apps[@]}"; do
  image="${repository_uri[$app]}:$sha"
  status=0
  digest=$(ecr_tag_digest "relay/$app" "$sha") || status=$?
  case "$status" in
    0)
      echo "images.sh: $image is already in ECR ($digest): kept, not rebuilt (ECR tags are immutable)"
      continue
      ;;
    1) ;;
    *) fail "cannot tell whether relay/$app:$sha is in ECR (the AWS CLI's message is above)" ;;
  esac
  echo "--- $app: building for $PLATFORMS and pushing $image"
  docker buildx build --builder "$BUILDER" --platform "$PLATFORMS" \
    --build-context service-kit=packages/service-kit \
    --build-arg "GIT_COMMIT=$sha" --build-arg "BUILD_TIME=$created" --build-arg "SOURCE_URL=$source_url" \
    --provenance=false --tag "$image" --push "$app"
done

echo "--- in ECR"
for app in "${apps[@]}"; do
  digest=$(ecr_tag_digest "relay/$app" "$sha") || fail "relay/$app:$sha is not in ECR after the push"
  echo "relay/$app:$sha $digest"
done
