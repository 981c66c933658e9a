#!/usr/bin/env bash
# How the example network's awards were made, with TEST-ONLY keys kept in tests/keys/
# (a real structure keeps its private key outside the repository). Dates are simulated
# with SOURCE_DATE_EPOCH. Re-running it needs a clean assertions/ and no keys in the
# issuers' YAML files; salts and award ids are random, so the output differs each time.
set -euo pipefail
cd "$(dirname "$0")/../.."
keys=tests/keys
at() { SOURCE_DATE_EPOCH=$(date -d "$1" +%s) "${@:2}"; }

at 2024-01-10T09:00:00Z python build.py keygen biklab --key-file $keys/biklab.test-only.pem
at 2024-01-10T09:05:00Z python build.py keygen fablab-exemple-port --key-file $keys/fablab-exemple-port.test-only-1.pem
at 2024-02-01T10:00:00Z python build.py keygen atelier-kerexemple --key-file $keys/atelier-kerexemple.test-only.pem

at 2024-03-12T18:30:00Z python build.py issue --issuer biklab --badge decoupe-laser-premiers-pas \
  --key-file $keys/biklab.test-only.pem --recipient alice.martin@example.org \
  --evidence https://example.org/projets/porte-cles-alice \
  --narrative "A découpé et gravé un porte-clés en contreplaqué lors de l'atelier découverte du 12 mars."
at 2024-10-05T17:00:00Z python build.py issue --issuer biklab --badge biklab-mediation-scientifique \
  --key-file $keys/biklab.test-only.pem --recipient bob.le-gall@example.org \
  --narrative "A animé le stand « lumière et laser » de la Fête de la science 2024."
at 2024-06-30T12:00:00Z python build.py issue --issuer biklab --badge decoupe-vinyle-formateur-mentor \
  --key-file $keys/biklab.test-only.pem --recipient claire.riou@example.org --expires 2025-06-30
at 2024-04-20T16:00:00Z python build.py issue --issuer fablab-exemple-port --badge impression-3d-fdm-utilisateur-autonome \
  --key-file $keys/fablab-exemple-port.test-only-1.pem --recipient dan.kerouredan@example.org
at 2024-05-02T09:00:00Z python build.py revoke \
  "$(ls assertions/fablab-exemple-port/2024*.json | head -1)" \
  --reason "Délivré par erreur : la personne n'avait pas encore validé l'évaluation pratique." \
  --key-file $keys/fablab-exemple-port.test-only-1.pem
# The structure rotates its key; awards signed with the first key keep verifying.
at 2025-01-15T09:00:00Z python build.py keygen fablab-exemple-port --key-file $keys/fablab-exemple-port.test-only-2.pem
at 2025-02-01T18:00:00Z python build.py issue --issuer fablab-exemple-port --badge decoupe-laser-formateur-mentor \
  --key-file $keys/fablab-exemple-port.test-only-2.pem --recipient eve.quere@example.org \
  --evidence https://example.org/projets/formation-laser-fevrier
at 2025-03-08T15:00:00Z python build.py issue --issuer atelier-kerexemple --badge decoupe-vinyle-animateur \
  --key-file $keys/atelier-kerexemple.test-only.pem --csv tests/keys/example-kerexemple.csv
