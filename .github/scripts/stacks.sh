#!/usr/bin/env bash
# The operator's stacks for preview.yml and deploy.yml: the names in $PULUMI_STACKS (the repository
# variable; spaces or commas, in deploy order), written as `stacks=<JSON list>` to $GITHUB_OUTPUT
# (stdout outside Actions). Each must have its Pulumi.<stack>.yaml in the repository. Unset gives `[]`
# and a notice: the example stacks (dev, prod) are only planned offline (offline-review.yml).
set -euo pipefail
read -r -a names <<< "${PULUMI_STACKS//,/ }"
emit() { if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1" >> "$GITHUB_OUTPUT"; else echo "$1"; fi; }
if [[ ${#names[@]} -eq 0 ]]; then
  echo "::notice::no stacks to preview or deploy: set the repository variable PULUMI_STACKS (see .github/README.md)"
  emit "stacks=[]"
  exit 0
fi
quoted=()
for stack in "${names[@]}"; do
  # The pattern also makes the JSON below safe: nothing to escape.
  if [[ ! "$stack" =~ ^[A-Za-z0-9_.-]+$ ]]; then
    echo "::error::PULUMI_STACKS: '$stack' is not a stack name (letters, digits, '_', '.', '-')"
    exit 1
  fi
  if [[ ! -f "Pulumi.$stack.yaml" ]]; then
    echo "::error::PULUMI_STACKS: no Pulumi.$stack.yaml in the repository; commit the stack file first"
    exit 1
  fi
  quoted+=("\"$stack\"")
done
emit "stacks=[$(IFS=,; echo "${quoted[*]}")]"
