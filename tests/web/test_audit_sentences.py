"""Audit entries read as sentences in the page's language, for every action the code writes
(the code is walked for them: a new action without a sentence fails here), and an unknown action
still reads as a sentence."""

from __future__ import annotations

import ast
import re
from html import unescape
from pathlib import Path

import pytest

from agenda.models import AuditEntry
from agenda.web.admin.audit_sentences import SENTENCES, Subject, audit_sentence, sentence_key

AGENDA = Path(__file__).resolve().parents[2] / "agenda"
NB = "\u00a0"
CLAIRE = "claire.martin@cress-centre.example"
# The detail that picks each action's sentence where the detail decides (the others need none)
VARIANTS = {"campaign_unpick": [{"was": "included"}, {"was": "excluded"}],
            "reject": [{}, {"refused_changes": []}], "actor_trust": [{"trusted": True}, {}],
            "sessions_end": [{"email": "other@example.org"}, {"email": CLAIRE}]}


def audit_actions_in_code() -> set[str]:
    """Every action name given to add_audit, directly or through a module's own _audit helper
    (string constants among the call's arguments, both branches of a conditional included)."""
    found = set()
    for path in AGENDA.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in ("add_audit", "_audit"):
                values = [k.value for k in node.keywords if k.arg == "action"] + node.args[:2]
                found |= {c.value for v in values for c in ast.walk(v)
                          if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def _name(func) -> str | None:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def test_the_walk_finds_the_actions_of_every_part():
    assert {"submit", "approve", "reject", "edit", "publish_trusted", "actor_trust", "user_add",
            "sessions_end", "campaign_create"} <= audit_actions_in_code()


@pytest.mark.parametrize("action", sorted(audit_actions_in_code()))
def test_every_action_written_in_the_code_has_a_sentence(action):
    for detail in VARIANTS.get(action, [{}]):
        assert sentence_key(action, detail, CLAIRE) in SENTENCES, (action, detail)


def said(app, entry: AuditEntry, subject: Subject, lang: str) -> str:
    with app.test_request_context(f"/admin/audit?lang={lang}"):
        return unescape(re.sub(r"<[^>]+>", "", str(audit_sentence(entry, subject))))


PROPOSAL = Subject("Repair café", 3)
MOIS = Subject(campaign="Mois de l'ESS 2026")
PICKED = {"campaign_id": 1, "slug": "mois-ess-2026", "event_id": "ev1", "title": "Marché bio"}


@pytest.mark.parametrize("action, who, detail, subject, english, french", [
    ("approve", CLAIRE, {}, PROPOSAL, "Claire Martin approved the proposal “Repair café”",
     f"Claire Martin a approuvé la proposition «{NB}Repair café{NB}»"),
    ("submit", "submitter", {}, PROPOSAL, "The submitter sent the proposal “Repair café”",
     f"L’auteur a envoyé la proposition «{NB}Repair café{NB}»"),
    ("reject", CLAIRE, {"reason": "Hors région", "refused_changes": [{"field": "title"}]},
     PROPOSAL, "Claire Martin refused the changes to the proposal “Repair café”",
     f"Claire Martin a refusé les modifications de la proposition «{NB}Repair café{NB}»"),
    ("campaign_exclude", "claire@cress.example", PICKED, MOIS,
     "Claire excluded the event “Marché bio” from the campaign “Mois de l'ESS 2026”",
     f"Claire a exclu l’évènement «{NB}Marché bio{NB}» de la campagne "
     f"«{NB}Mois de l'ESS 2026{NB}»"),
    ("campaign_include", "claire@cress.example", PICKED, Subject(),
     "Claire added the event “Marché bio” to the campaign “mois-ess-2026”",
     f"Claire a ajouté l’évènement «{NB}Marché bio{NB}» à la campagne «{NB}mois-ess-2026{NB}»"),
    ("campaign_update", CLAIRE, {"campaign_id": 1, "changed": ["name"],
                                 "name": ["Mois de l'ESS", "Mois de l'ESS 2026"]}, Subject(),
     "Claire Martin changed the campaign “Mois de l'ESS 2026”",
     f"Claire Martin a modifié la campagne «{NB}Mois de l'ESS 2026{NB}»"),
    ("actor_trust", CLAIRE, {"actor": "Répar’37", "trusted": False}, Subject(),
     "Claire Martin stopped trusting Répar’37", "Claire Martin a retiré sa confiance à Répar’37"),
    ("publish_trusted", "address 0123456789ab", {"actor": "Répar’37", "proof": "link"}, PROPOSAL,
     "A confirmed contact address published the proposal “Repair café” of Répar’37, a trusted "
     "actor, at once", f"Une adresse de contact confirmée a publié aussitôt la proposition "
     f"«{NB}Repair café{NB}» de Répar’37, acteur de confiance"),
    ("user_add", "command line", {"email": "lea@cress.example", "role": "admin"}, Subject(),
     "The command line created the account lea@cress.example (administrator)",
     "La ligne de commande a créé le compte lea@cress.example (administrateur)"),
    ("sessions_end", CLAIRE, {"email": CLAIRE}, Subject(), "Claire Martin signed out everywhere",
     "Claire Martin a fermé toutes ses sessions"),
    ("lost_link", "submitter", {}, PROPOSAL,
     "The submitter was sent a new secret link to the proposal “Repair café”",
     f"L’auteur a reçu un nouveau lien secret pour la proposition «{NB}Repair café{NB}»"),
    ("campaign.archived", CLAIRE, {}, Subject(), "Claire Martin: “campaign archived”",
     f"Claire Martin{NB}: action «{NB}campaign archived{NB}»"),
])
def test_entries_read_as_sentences_in_the_page_language(app, action, who, detail, subject,
                                                        english, french):
    entry = AuditEntry(action=action, who=who, detail=detail)
    assert said(app, entry, subject, "en") == english
    assert said(app, entry, subject, "fr") == french


def test_the_proposal_and_event_are_links_and_text_is_escaped(app):
    entry = AuditEntry(action="approve", who="x@y.example", detail={})
    with app.test_request_context("/admin/audit?lang=en"):
        html = str(audit_sentence(entry, Subject("<b>Fête</b>", 7)))
        picked = str(audit_sentence(AuditEntry(action="campaign_include", who="x@y.example",
                                               detail=PICKED), MOIS))
    assert '<a href="/admin/moderation/7" lang="fr">&lt;b&gt;Fête&lt;/b&gt;</a>' in html
    assert '<span class="audit-who" title="x@y.example">X</span>' in html
    assert '<a href="/evenements/ev1" lang="fr">Marché bio</a>' in picked
