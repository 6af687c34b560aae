# bash completion for memleak. Use: source cli/memleak-completion.bash
# (or install it as /usr/share/bash-completion/completions/memleak).
_memleak() {
  local cur prev words cword
  _init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; }
  local commands="diff check show record formats"
  local input="--input-format --max-input-size --slices --order --symbol-path --no-symbolize"
  local analysis="--metric --granularity --focus --ignore --skip --top --limit --no-drilldown"
  local output="--format --output --color"
  local gate="--max-growth --max-site-growth --max-rate --fail-on --max-new-sites --new-site-floor --min-snapshots --suppressions"
  local record="--every --count --out --goroutines --timeout --header --bearer-token-env --check"
  local cmd=${COMP_WORDS[1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    --metric) COMPREPLY=($(compgen -W "live_bytes live_objects alloc_bytes alloc_objects goroutines inuse_space inuse_objects alloc_space" -- "$cur")); return ;;
    --granularity) COMPREPLY=($(compgen -W "function line stack" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "text json csv markdown junit pprof folded html" -- "$cur")); return ;;
    --input-format) COMPREPLY=($(compgen -W "massif heaptrack pprof pprof-text" -- "$cur")); return ;;
    --fail-on) COMPREPLY=($(compgen -W "leak growing" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --order) COMPREPLY=($(compgen -W "given time" -- "$cur")); return ;;
    --suppressions|--out) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --symbol-path) COMPREPLY=($(compgen -d -- "$cur")); return ;;
  esac
  local opts="--help"
  case "$cmd" in
    diff|show) opts="$opts $input $analysis $output" ;;
    check) opts="$opts $input $analysis $output $gate" ;;
    record) opts="$opts $record $gate" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _memleak memleak
