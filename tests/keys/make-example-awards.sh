#!/usr/bin/env bash
# How the example network's awards, and those of the golden test site tests/sites/signed,
# were made, with TEST-ONLY keys kept in tests/keys/ (a real structure keeps its private key
# outside the repository). Dates are simulated with SOURCE_DATE_EPOCH.
#
# The first run created the keys: three coordinators' (coordinator-key), the network's
# coordinators' log (init-trust, 2 of the 3 approve), then each structure's first key
# (keygen, approved by two coordinators) and a rotation signed with the current key (keygen
# --current-key-file). Later runs re-sign with the same keys, so a key file that exists is
# kept, with its key history (run with no key files, no content/issuers/*.keys.jsonl and no
# content/trust/coordinators.jsonl to start over). The key histories committed today were
# not made that way: the keys came before key histories, in the structures' files, and
# init-trust moved them (on 2025-12-01, approved by anne-exemple and bruno-exemple).
# Every run replaces the awards: salts and award ids are random, so the output differs each
# time, and the files that name an award by its id must follow (content/people/*.yaml, tests
# naming an award; then regenerate the golden sites: python -m pytest tests/test_golden.py
# --update-golden).
set -euo pipefail
cd "$(dirname "$0")/../.."
keys=tests/keys
signed=tests/sites/signed
at() { SOURCE_DATE_EPOCH=$(date -d "$1" +%s) "${@:2}"; }
# A key file is written outside the repository (keygen refuses a path git would commit),
# then moved here: these test-only keys are committed on purpose.
outside() { local folder; folder=$(mktemp -d); echo "$folder/$(basename "$1")"; }
coordinator() {  # coordinator NAME: once
  local file=$keys/coordinator-$1.test-only.pem made
  [ -e "$file" ] && return
  made=$(outside "$file")
  python build.py coordinator-key --key-file "$made" && mv "$made" "$file"
}
approve() {  # approve TIME ISSUER [--source DIR]: two of the three coordinators approve
  for name in anne bruno; do
    at "$1" python build.py approve "$2" --key-file $keys/coordinator-$name.test-only.pem "${@:3}"
  done
}
keygen() {  # keygen TIME ISSUER KEY-FILE [--current-key-file OLD] [--source DIR]: once
  local made
  [ -e "$3" ] && return
  made=$(outside "$3")
  at "$1" python build.py keygen "$2" --key-file "$made" "${@:4}"
  mv "$made" "$3"
  case " ${*:4} " in
    *" --current-key-file "*) ;;  # a rotation: signed with the current key, valid at once
    *) approve "$1" "$2" "${@:4}" ;;  # a first key: the coordinators approve it
  esac
}
trust() {  # trust TIME [--source DIR]: the coordinators' log, once
  local folder=${3:-.}
  [ -e "$folder/content/trust/coordinators.jsonl" ] && return
  at "$1" python build.py init-trust "${@:2}" --threshold 2 \
    --coordinator anne-exemple=$keys/coordinator-anne.test-only.pem \
    --coordinator bruno-exemple=$keys/coordinator-bruno.test-only.pem \
    --coordinator chloe-exemple=$keys/coordinator-chloe.test-only.pem \
    --key-file $keys/coordinator-anne.test-only.pem --key-file $keys/coordinator-bruno.test-only.pem
}
for name in anne bruno chloe; do coordinator $name; done
trust 2024-01-01T00:00:00Z
trust 2024-01-01T00:00:00Z --source $signed
rm -rf assertions/biklab assertions/fablab-exemple-port assertions/atelier-kerexemple \
  "$signed/assertions/atelier"
# The example people name their award by its id: unlinked now, linked again once issued.
for person in alice-m bob-lg eve-q; do
  sed -i '/^awards:/,$c awards: []' content/people/$person.yaml
done
link() {  # link PERSON ISSUER DAY: the person's award is the one the structure gave that day
  local award
  award=$(basename "$(ls assertions/"$2"/"$3"-*.json)" .json)
  sed -i "s#^awards: \\[\\]\$#awards:\\n- $2/$award#" content/people/"$1".yaml
}

keygen 2024-01-10T09:00:00Z biklab $keys/biklab.test-only.pem
keygen 2024-01-10T09:05:00Z fablab-exemple-port $keys/fablab-exemple-port.test-only-1.pem
keygen 2024-02-01T10:00:00Z atelier-kerexemple $keys/atelier-kerexemple.test-only.pem

at 2024-03-12T18:30:00Z python build.py issue --issuer biklab --badge decoupe-laser-premiers-pas \
  --key-file $keys/biklab.test-only.pem --recipient alice.martin@example.org \
  --evidence https://example.org/projets/porte-cles-alice \
  --narrative "A découpé et gravé un porte-clés en contreplaqué lors de l'atelier découverte du 12 mars."
link alice-m biklab 20240312
at 2024-10-05T17:00:00Z python build.py issue --issuer biklab --badge biklab-mediation-scientifique \
  --key-file $keys/biklab.test-only.pem --recipient bob.le-gall@example.org \
  --narrative "A animé le stand « lumière et laser » de la Fête de la science 2024."
link bob-lg biklab 20241005
at 2024-06-30T12:00:00Z python build.py issue --issuer biklab --badge decoupe-vinyle-formateur-mentor \
  --key-file $keys/biklab.test-only.pem --recipient claire.riou@example.org --expires 2025-06-30
at 2024-04-20T16:00:00Z python build.py issue --issuer fablab-exemple-port --badge impression-3d-fdm-utilisateur-autonome \
  --key-file $keys/fablab-exemple-port.test-only-1.pem --recipient dan.kerouredan@example.org
at 2024-05-02T09:00:00Z python build.py revoke \
  "$(ls assertions/fablab-exemple-port/2024*.json | head -1)" \
  --reason "Délivré par erreur : la personne n'avait pas encore validé l'évaluation pratique." \
  --key-file $keys/fablab-exemple-port.test-only-1.pem
# The structure rotates its key, signing the change with the first; awards signed with the
# first key keep verifying.
keygen 2025-01-15T09:00:00Z fablab-exemple-port $keys/fablab-exemple-port.test-only-2.pem \
  --current-key-file $keys/fablab-exemple-port.test-only-1.pem
at 2025-02-01T18:00:00Z python build.py issue --issuer fablab-exemple-port --badge decoupe-laser-formateur-mentor \
  --key-file $keys/fablab-exemple-port.test-only-2.pem --recipient eve.quere@example.org \
  --evidence https://example.org/projets/formation-laser-fevrier
link eve-q fablab-exemple-port 20250201
# issue reads a list of recipients from outside the repository only (a copy of the fixture).
recipients=$(outside tests/keys/example-kerexemple.csv)
cp tests/keys/example-kerexemple.csv "$recipients"
at 2025-03-08T15:00:00Z python build.py issue --issuer atelier-kerexemple --badge decoupe-vinyle-animateur \
  --key-file $keys/atelier-kerexemple.test-only.pem --csv "$recipients"

# Endorsements (EndorsementCredential): the network endorses each member structure with its
# own key (the network signs endorsements, never awards), and a FICTIONAL outside
# organisation (content/endorsers/employeurs-exemple.yaml, at example.org), whose DID the site
# hosts, endorses a badge. Their first keys are approved by the coordinators, as a structure's.
rm -rf assertions/fababrest/endorsements assertions/employeurs-exemple/endorsements
keygen 2025-12-10T09:00:00Z fababrest $keys/fababrest.test-only.pem
keygen 2025-12-10T09:05:00Z employeurs-exemple $keys/employeurs-exemple.test-only.pem
for structure in biklab fablab-exemple-port atelier-kerexemple mediatheque-exemple; do
  at 2025-12-15T10:00:00Z python build.py endorse --endorser fababrest --issuer $structure \
    --key-file $keys/fababrest.test-only.pem \
    --comment "Membre du réseau Fab@brest : la structure a signé la charte du réseau et délivre ses badges selon les critères communs."
done
at 2025-12-18T14:00:00Z python build.py endorse --endorser employeurs-exemple \
  --badge decoupe-laser-premiers-pas --key-file $keys/employeurs-exemple.test-only.pem \
  --expires 2028-12-18 \
  --comment "Nos entreprises reconnaissent ce badge : la personne a **découpé et gravé une pièce simple** en sécurité, accompagnée. *(Exemple fictif.)*"

# The golden site with signed awards: a valid one with evidence, one that never expires, and
# a revoked one (awarded on a given day, signed later that day).
keygen 2024-02-01T10:00:00Z atelier $keys/signed-atelier.test-only.pem --source $signed
at 2024-03-10T10:00:00Z python build.py issue --source $signed --issuer atelier \
  --badge laser-debutant --key-file $keys/signed-atelier.test-only.pem \
  --recipient camille@example.org --evidence https://example.org/projets/camille \
  --narrative "Première découpe réussie."
at 2024-04-02T10:00:00Z python build.py issue --source $signed --issuer atelier \
  --badge atelier-accueil --key-file $keys/signed-atelier.test-only.pem \
  --recipient dominique@example.org
at 2024-05-01T10:00:00Z python build.py issue --source $signed --issuer atelier \
  --badge laser-debutant --key-file $keys/signed-atelier.test-only.pem \
  --recipient erwan@example.org --issued-on 2024-05-01
at 2024-06-01T10:00:00Z python build.py revoke --source $signed \
  "$(ls $signed/assertions/atelier/20240501-*.json)" \
  --reason "Délivré par erreur." --key-file $keys/signed-atelier.test-only.pem
