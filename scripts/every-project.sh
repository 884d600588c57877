# Sourced by the conformance scripts: `every_project BIN DIR` sets the
# array `projects` to a fresh copy, under DIR, of the project `wengao init`
# writes for every built-in kind and of every example (without a local
# build's outputs and cache), so each check covers all of them alike.
every_project() {
  local bin=$1 dir=$2 kind ex name
  projects=()
  while read -r kind _; do
    "$bin" init "$dir/init-$kind" --kind "$kind" >/dev/null
    projects+=("$dir/init-$kind")
  done < <("$bin" init --list)
  for ex in examples/*/; do
    name=example-$(basename "$ex")
    cp -r "$ex" "$dir/$name"
    rm -rf "${dir:?}/$name/out"
    projects+=("$dir/$name")
  done
}
