#!/usr/bin/env python3
"""Writes workspace-template/datasets/sentences.jsonl: short sentences in English, French, German and
Spanish with the same meanings, built from the word lists below (written for Neurite, free to use).
Run from the repository root: python3 tools/make_sentences.py. Deterministic."""
import json
import random

SUBJECTS = {
    "en": ["The farmer", "My sister", "The old teacher", "A young doctor", "The baker", "Our neighbour", "The child", "The captain"],
    "fr": ["Le fermier", "Ma sœur", "Le vieux professeur", "Un jeune médecin", "Le boulanger", "Notre voisin", "L'enfant", "Le capitaine"],
    "de": ["Der Bauer", "Meine Schwester", "Der alte Lehrer", "Ein junger Arzt", "Der Bäcker", "Unser Nachbar", "Das Kind", "Der Kapitän"],
    "es": ["El granjero", "Mi hermana", "El viejo profesor", "Un médico joven", "El panadero", "Nuestro vecino", "El niño", "El capitán"],
}
ACTIONS = {  # (topic, phrase)
    "en": [("food", "cooks a warm soup"), ("food", "buys fresh bread"), ("nature", "walks along the river"),
           ("nature", "watches the birds"), ("work", "writes a long letter"), ("work", "repairs the old bicycle")],
    "fr": [("food", "prépare une soupe chaude"), ("food", "achète du pain frais"), ("nature", "marche le long de la rivière"),
           ("nature", "regarde les oiseaux"), ("work", "écrit une longue lettre"), ("work", "répare le vieux vélo")],
    "de": [("food", "kocht eine warme Suppe"), ("food", "kauft frisches Brot"), ("nature", "geht am Fluss entlang"),
           ("nature", "beobachtet die Vögel"), ("work", "schreibt einen langen Brief"), ("work", "repariert das alte Fahrrad")],
    "es": [("food", "cocina una sopa caliente"), ("food", "compra pan fresco"), ("nature", "camina junto al río"),
           ("nature", "mira los pájaros"), ("work", "escribe una carta larga"), ("work", "arregla la bicicleta vieja")],
}
TIMES = {
    "en": ["every morning", "on Sunday", "after dinner", "in the winter", "before the storm", "at noon"],
    "fr": ["chaque matin", "le dimanche", "après le dîner", "en hiver", "avant l'orage", "à midi"],
    "de": ["jeden Morgen", "am Sonntag", "nach dem Abendessen", "im Winter", "vor dem Sturm", "am Mittag"],
    "es": ["cada mañana", "el domingo", "después de la cena", "en invierno", "antes de la tormenta", "al mediodía"],
}
PER_LANGUAGE = 48


def main():
    rng = random.Random(7)
    combos = [(s, a, t) for s in range(8) for a in range(6) for t in range(6)]
    rng.shuffle(combos)
    chosen = combos[:PER_LANGUAGE]
    lines = []
    for lang in ["en", "fr", "de", "es"]:
        for i, (s, a, t) in enumerate(chosen):
            topic, action = ACTIONS[lang][a]
            text = f"{SUBJECTS[lang][s]} {action} {TIMES[lang][t]}."
            lines.append({"id": f"{lang}{i + 1:02d}", "lang": lang, "topic": topic, "text": text})
    with open("workspace-template/datasets/sentences.jsonl", "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
