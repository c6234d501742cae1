# shellcheck shell=bash
# ECR look-ups shared by scripts/images.sh and the push step of .github/workflows/apps.yml. Needs the AWS CLI,
# AWS credentials and a region (AWS_REGION).

# Prints the digest of the image <repository>:<tag> and returns 0 when that tag exists, returns 1 when it does not,
# and returns 2 with the AWS CLI's message on stderr for anything else (credentials, permissions, no such
# repository): an error is never taken for a missing tag.
ecr_tag_digest() {
  local repository=$1 tag=$2 digest errors status=0
  errors=$(mktemp)
  digest=$(aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=$tag" \
    --query 'imageDetails[0].imageDigest' --output text 2>"$errors") || status=$?
  if [ "$status" -eq 0 ]; then
    echo "$digest"
  elif grep -q ImageNotFoundException "$errors"; then
    status=1
  else
    cat "$errors" >&2
    status=2
  fi
  rm -f "$errors"
  return "$status"
}
