# Shared by scripts/prosody.sh and scripts/ejabberd.sh (sourced, not run): their command-line words and the settings
# remembered in a server's directory.

# parse_server_args PREFIX USAGE_FUNCTION ARGS...
#   --dir DIR / --dir=DIR sets ${PREFIX}_DIR; -h / --help calls USAGE_FUNCTION and exits 0; every other word is a user
#   name, collected in the array users_to_register.
parse_server_args() {
  local prefix="$1" usage_function="$2"
  shift 2
  users_to_register=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --dir) printf -v "${prefix}_DIR" '%s' "$2"; shift 2 ;;
      --dir=*) printf -v "${prefix}_DIR" '%s' "${1#--dir=}"; shift ;;
      -h|--help) "$usage_function"; exit 0 ;;
      *) users_to_register+=("$1"); shift ;;
    esac
  done
  return 0
}

# load_saved_settings PREFIX FILE
#   The settings of the last start in this directory (FILE holds KEY=value lines) apply unless the environment
#   sets them: only keys named PREFIX_* are read, and only those not already set.
load_saved_settings() {
  local prefix="$1" file="$2" key value
  [[ -f "$file" ]] || return 0
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^${prefix}_[A-Z0-9_]+$ && -z "${!key:-}" ]] && printf -v "$key" '%s' "$value"
  done <"$file"
  return 0 # the loop's status is that of its last test, which may be false
}
