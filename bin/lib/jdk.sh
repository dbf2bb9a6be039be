# Sourced by the scripts in bin/: sets JAVA_HOME to a JDK >= 25 (JAVA_HOME first, then /usr/lib/jvm/*),
# or explains what to install and exits.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

find_jdk() {
  local candidates=() d v
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do [[ -d "$d" ]] && candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    if [[ -x "$d/bin/java" && -x "$d/bin/javac" ]]; then
      v=$(java_major "$d")
      if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 25 )); then echo "$d"; return 0; fi
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_jdk); then
  cat >&2 <<'MSG'
addernet needs a JDK 25 or newer (its kernels use the Vector API); none was found in JAVA_HOME or /usr/lib/jvm.
Install one, e.g. Eclipse Temurin 25 (package temurin-25-jdk from the Adoptium apt repository), or point
JAVA_HOME at a JDK >= 25. The system's default Java 17 runs the kernels about 10x slower and cannot compile them.
MSG
  exit 3
fi
export JAVA_HOME
