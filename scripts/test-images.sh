#!/usr/bin/env bash
# Part of `make test-scripts`: scripts/images.sh (make images) against stand-ins for docker, aws and git on a
# PATH of its own. The stand-ins keep ECR's state in files: `docker buildx build --push` adds a tag,
# `aws ecr describe-images` reads it. Checks the arguments, every precondition's one-line error, the skip of a
# tag that exists, the build command, and the look-up after the push.
set -uo pipefail # not -e: every check runs, and a failed one is counted
cd "$(dirname "$0")/.." || exit 1

SHA=0123456789abcdef0123456789abcdef01234567
REGISTRY=123456789012.dkr.ecr.eu-west-1.amazonaws.com
root=$(mktemp -d "${TMPDIR:-/tmp}/relay-test-images.XXXXXX")
trap 'rm -rf "$root"' EXIT

# The stand-ins. Each records its arguments in $STUB_LOG; STUB_* variables make them fail as the real ones would.
mkdir -p "$root/stubs"
cat >"$root/stubs/docker" <<'STUB'
#!/usr/bin/env bash
echo "docker $*" >>"$STUB_LOG"
case "$1 ${2:-}" in
  "buildx version") [ -z "${STUB_NO_BUILDX:-}" ] || { echo "docker: 'buildx' is not a docker command." >&2; exit 1; } ;;
  "info "*) [ -z "${STUB_NO_DAEMON:-}" ] || { echo "Cannot connect to the Docker daemon" >&2; exit 1; } ;;
  "login "*) [ "$(cat)" = stub-token ] || exit 1 ;;
  "buildx inspect") exit 1 ;;
  "buildx build")
    image=""
    while [ "$#" -gt 0 ]; do [ "$1" = --tag ] && image=$2; shift; done
    [ -n "${STUB_PUSH_LOST:-}" ] && exit 0
    repository=${image#*/}
    [ -d "$STUB_ECR/${repository%:*}" ] || { echo "name unknown: ${repository%:*}" >&2; exit 1; }
    echo "sha256:pushed-${repository%:*}" >"$STUB_ECR/${repository%:*}/${repository##*:}"
    ;;
esac
STUB
cat >"$root/stubs/aws" <<'STUB'
#!/usr/bin/env bash
echo "aws $*" >>"$STUB_LOG"
arg() { local name=$1; shift; while [ "$#" -gt 1 ]; do [ "$1" = "$name" ] && { echo "$2"; return; }; shift; done; }
case "$1 $2" in
  "sts get-caller-identity")
    [ -z "${STUB_NO_CREDENTIALS:-}" ] || { echo "Unable to locate credentials." >&2; exit 253; }
    echo '{"Account": "123456789012"}'
    ;;
  "ecr get-login-password") echo stub-token ;;
  "ecr describe-repositories" | "ecr describe-images")
    repository=$(arg --repository-names "$@")
    [ -n "$repository" ] || repository=$(arg --repository-name "$@")
    if [ -n "${STUB_ACCESS_DENIED:-}" ] && [ "$2" = describe-images ]; then
      echo "An error occurred (AccessDeniedException) when calling the DescribeImages operation: denied" >&2
      exit 254
    fi
    if [ ! -d "$STUB_ECR/$repository" ]; then
      echo "An error occurred (RepositoryNotFoundException) when calling the operation: no $repository" >&2
      exit 254
    fi
    if [ "$2" = describe-repositories ]; then
      echo "$STUB_REGISTRY/$repository"
    else
      tag=$(arg --image-ids "$@")
      tag=${tag#imageTag=}
      [ -f "$STUB_ECR/$repository/$tag" ] || {
        echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: no $tag" >&2
        exit 254
      }
      cat "$STUB_ECR/$repository/$tag"
    fi
    ;;
  *) echo "aws stand-in: unexpected: $*" >&2; exit 1 ;;
esac
STUB
cat >"$root/stubs/git" <<'STUB'
#!/usr/bin/env bash
echo "git $*" >>"$STUB_LOG"
[ -z "${STUB_NOT_A_CHECKOUT:-}" ] || { echo "fatal: not a git repository" >&2; exit 128; }
case "$1" in
  status) printf '%s' "${STUB_GIT_CHANGES:-}" ;;
  rev-parse) echo "$STUB_SHA" ;;
  log) echo 2026-01-02T03:04:05+00:00 ;;
  remote) echo "${STUB_ORIGIN:-git@github.com:example/relay.git}" ;;
esac
STUB
chmod +x "$root/stubs/"*

# The system tools images.sh uses, and nothing else, so that a real docker or aws on this machine is never found.
mkdir -p "$root/system"
for tool in bash env dirname sed grep mktemp cat rm head; do
  ln -s "$(command -v "$tool")" "$root/system/$tool"
done

passed=0 failed=0 case_dir="" out="" err="" status=0

# run_images [VAR=value|-docker|-aws]... -- [images.sh arguments]: a fresh ECR holding the repositories
# relay/app1 and relay/app2 (unless STUB_REPOSITORIES says otherwise), then images.sh.
run_images() {
  case_dir=$(mktemp -d "$root/case.XXXXXX")
  mkdir -p "$case_dir/bin" "$case_dir/ecr"
  local settings=() omit=" "
  while [ "$1" != -- ]; do
    case "$1" in -*) omit+="${1#-} " ;; *) settings+=("$1") ;; esac
    shift
  done
  shift
  for stub in docker aws git; do
    [[ $omit == *" $stub "* ]] || ln -s "$root/stubs/$stub" "$case_dir/bin/$stub"
  done
  local repositories="relay/app1 relay/app2"
  for setting in "${settings[@]}"; do
    case "$setting" in STUB_REPOSITORIES=*) repositories=${setting#*=} ;; esac
  done
  for repository in $repositories; do mkdir -p "$case_dir/ecr/$repository"; done
  for setting in "${settings[@]}"; do
    case "$setting" in STUB_EXISTING=*) echo "sha256:existing" >"$case_dir/ecr/${setting#*=}/$SHA" ;; esac
  done
  status=0
  env -i PATH="$case_dir/bin:$root/system" HOME="$case_dir" AWS_REGION=eu-west-1 \
    STUB_LOG="$case_dir/log" STUB_ECR="$case_dir/ecr" STUB_SHA="$SHA" STUB_REGISTRY="$REGISTRY" \
    "${settings[@]}" scripts/images.sh "$@" >"$case_dir/out" 2>"$case_dir/err" || status=$?
  out=$(cat "$case_dir/out")
  err=$(cat "$case_dir/err")
  touch "$case_dir/log"
}

check() { # check <name> <condition...>: one named expectation
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "not ok - $name"
    echo "  exit $status; stdout: ${out:0:400}"
    echo "  stderr: ${err:0:400}"
  fi
}
exits() { [ "$status" -eq "$1" ]; }
one_line_error() { [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == "images.sh: "*"$1"* ]]; }
logged() { grep -qF -- "$1" "$case_dir/log"; }
builds() { [ "$(grep -c '^docker buildx build' "$case_dir/log")" -eq "$1" ]; }

run_images -- app3
check "an unknown argument prints the usage and exits 2" exits 2
check "  ... on one line" test "$err" = "usage: scripts/images.sh [app1|app2]...   (with AWS_REGION and AWS credentials)"

run_images -- --help
check "--help prints the header and exits 0" exits 0
check "  ... which starts with the make target" grep -q "^\`make images\`: " <<<"$out"

run_images -docker -- app1
check "without docker: exit 1" exits 1
check "  ... and one line that says so" one_line_error "docker is not installed"

run_images STUB_NO_BUILDX=1 --
check "without buildx: exit 1 and one line" one_line_error "docker has no buildx plugin"

run_images STUB_NO_DAEMON=1 --
check "without a Docker daemon: one line" one_line_error "cannot reach the Docker daemon"

run_images -aws --
check "without the AWS CLI: one line" one_line_error "the AWS CLI is not installed"

run_images AWS_REGION= --
check "without AWS_REGION: one line" one_line_error "set AWS_REGION"

run_images STUB_GIT_CHANGES=" M app1/src/app.ts" --
check "a tree with changes is refused" one_line_error "the working tree has changes"
check "  ... before anything is built" builds 0

run_images STUB_NOT_A_CHECKOUT=1 --
check "outside a git checkout: one line" one_line_error "not a git checkout"

run_images STUB_NO_CREDENTIALS=1 --
check "without AWS credentials: one line" one_line_error "no valid AWS credentials"
check "  ... and nothing built" builds 0

run_images STUB_REPOSITORIES=relay/app1 --
check "a missing repository is named" one_line_error "ECR repository relay/app2 not found in eu-west-1"
check "  ... before anything is built" builds 0

run_images --
check "both apps: exit 0" exits 0
check "  ... nothing on stderr" test -z "$err"
check "  ... both built and pushed" builds 2
check "  ... for both platforms with the kit's build context, tagged with the full SHA, pushed" logged \
  "docker buildx build --builder relay-images --platform linux/amd64,linux/arm64 --build-context service-kit=packages/service-kit --build-arg GIT_COMMIT=$SHA --build-arg BUILD_TIME=2026-01-02T03:04:05+00:00 --build-arg SOURCE_URL=https://github.com/example/relay --provenance=false --tag $REGISTRY/relay/app2:$SHA --push app2"
check "  ... logged in to the registry with ECR's password" logged "docker login --username AWS --password-stdin $REGISTRY"
check "  ... with a docker-container builder of its own" logged "docker buildx create --name relay-images --driver docker-container"
check "  ... and both tags looked up afterwards" grep -qxF "relay/app1:$SHA sha256:pushed-relay/app1"$'\n'"relay/app2:$SHA sha256:pushed-relay/app2" <<<"${out##*--- in ECR$'\n'}"

run_images STUB_EXISTING=relay/app1 --
check "a tag already in ECR: exit 0" exits 0
check "  ... only the other app is built" builds 1
check "  ... app1 is not rebuilt" test "$(grep -c "docker buildx build.*relay/app1:" "$case_dir/log")" -eq 0
check "  ... and it says so" grep -qF "images.sh: $REGISTRY/relay/app1:$SHA is already in ECR (sha256:existing): kept" <<<"$out"

run_images -- app2 app2
check "one app named (twice): only that one is built, once" builds 1
check "  ... and looked up" test "${out##*$'\n'}" = "relay/app2:$SHA sha256:pushed-relay/app2"

run_images STUB_PUSH_LOST=1 --
check "a push that did not land fails" one_line_error "relay/app1:$SHA is not in ECR after the push"

run_images STUB_ACCESS_DENIED=1 --
check "an error looking up a tag is not taken for a missing tag: exit 1" exits 1
check "  ... nothing is built" builds 0
check "  ... the AWS message is shown" grep -qF AccessDeniedException <<<"$err"

run_images STUB_ORIGIN=https://user:secret@github.com/example/relay.git -- app1
check "an https remote's credentials stay out of the image label" logged "SOURCE_URL=https://github.com/example/relay "

echo "test-images: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
