#!/usr/bin/python3
"""Renders the test model folders' chat templates the way Hugging Face transformers does, and writes
what came out to expected.json beside this script. Neurite's ChatTemplateConformanceTest renders the
same conversations in Java and must produce every string byte for byte (and every error message).

The environment is rebuilt here as transformers' chat_template_utils builds it:
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True) with the loopcontrols extension
and {% generation %} (transformers' AssistantTracker, reduced to rendering its body); tojson replaced
by json.dumps(ensure_ascii=False, indent, separators, sort_keys=False); raise_exception raising a
TemplateError; strftime_now; render(messages=..., tools=None, documents=None,
add_generation_prompt=..., **special_tokens_map, **kwargs), the tests passing tools as a keyword (as
apply_chat_template(tools=...) does) and other template variables as kwargs. The only departure:
"now" is fixed, so that strftime_now gives the same text on every run (the Java tests fix their
clock to it).

Run with Debian's python3-jinja2 (apt-get install python3-jinja2): /usr/bin/python3 render_expected.py
"""
import datetime
import json
import os
import sys

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "models")
NOW = datetime.datetime(2025, 3, 7, 9, 5, 3, 250000)
SPECIAL_TOKENS = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]


class Generation(Extension):
    """transformers' AssistantTracker as far as rendering goes: {% generation %} renders its body."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

    def _body(self, caller):
        return caller()


def environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def special_tokens(config):
    """What transformers' special_tokens_map gives the template: set tokens only, AddedTokens as text."""
    tokens = {}
    for name in SPECIAL_TOKENS:
        value = config.get(name)
        if isinstance(value, dict):
            value = value.get("content")
        if value:
            tokens[name] = value
    extra = config.get("additional_special_tokens")
    if extra:
        tokens["additional_special_tokens"] = [t["content"] if isinstance(t, dict) else t for t in extra]
    return tokens


def template_text(folder):
    jinja_file = os.path.join(folder, "chat_template.jinja")
    if os.path.exists(jinja_file):
        with open(jinja_file, encoding="utf-8") as f:
            return f.read()
    with open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8") as f:
        return json.load(f)["chat_template"]


def m(role, content):
    return {"role": role, "content": content}


TOOLS = [
    {"type": "function", "function": {
        "name": "get_weather",
        "description": "Météo actuelle — current weather for a city (°C)",
        "parameters": {"type": "object",
                       "properties": {"city": {"type": "string", "description": "e.g. \"Zürich\" or 東京"},
                                      "days": {"type": "integer", "minimum": 1, "maximum": 7, "default": 1},
                                      "ratio": {"type": "number", "default": 0.5},
                                      "units": {"enum": ["metric", "imperial"], "nullable": True, "example": None}},
                       "required": ["city"]}}},
    {"type": "function", "function": {"name": "now", "description": "Tab\there, newline\nthere, backslash \\ and </tags>",
                                      "parameters": {"type": "object", "properties": {}}}},
]

CONVERSATIONS = {
    "user-only": ([m("user", "Hello!")], {}),
    "system-and-user": ([m("system", "You answer in one sentence."), m("user", "What is a neuron?")], {}),
    "multi-turn": ([m("system", "Be brief."), m("user", "Name a prime."), m("assistant", "7"),
                    m("user", "Another one?"), m("assistant", "11"), m("user", "And one more.")], {}),
    "multi-turn-no-system": ([m("user", "Hi"), m("assistant", "Hello, how can I help?"), m("user", "Count to three.")], {}),
    "ends-with-assistant": ([m("user", "Say yes."), m("assistant", "Yes.")], {}),
    "unicode": ([m("system", "Réponds en français, s'il te plaît."), m("user", "Grüße aus Köln — 你好，世界 🌍 «ça va?»"),
                 m("assistant", "Ça va très bien ! 😀 Ünïcödé ✓"), m("user", "ŧħë ëñđ\u00a0— ok")], {}),
    "whitespace": ([m("system", "  \n  System with padding.\t\n"), m("user", "   padded question?  \n\n"),
                    m("assistant", "\n answer with spaces   "), m("user", "\tlast\u00a0 ")], {}),
    "reasoning": ([m("user", "2+2?"), m("assistant", "<think>\nadd them\n</think>\n\n4"), m("user", "times 3?")], {}),
    "tools": ([m("user", "Weather in Zürich for 2 days?")], {"tools": TOOLS}),
    "extra-variables": ([m("user", "Quick answer please.")], {"date_string": "26 Jul 2024", "enable_thinking": False}),
    "empty": ([], {}),
    "user-twice": ([m("user", "one"), m("user", "two")], {}),
    "tool-role": ([m("user", "Call it."), m("tool", "{\"ok\": true}")], {}),
    "system-late": ([m("user", "Hi"), m("system", "Late rules."), m("assistant", "Hello")], {}),
}

FAMILIES = {
    "header": ["user-only", "system-and-user", "multi-turn", "multi-turn-no-system", "ends-with-assistant", "unicode",
               "whitespace", "tools", "extra-variables", "empty", "tool-role"],
    "im": ["user-only", "system-and-user", "multi-turn", "multi-turn-no-system", "unicode", "whitespace", "reasoning",
           "tools", "extra-variables", "empty"],
    "inst": ["user-only", "system-and-user", "multi-turn", "multi-turn-no-system", "ends-with-assistant", "unicode",
             "whitespace", "empty", "user-twice"],
    "features": ["user-only", "multi-turn", "unicode", "whitespace", "reasoning", "empty"],
    "turn": ["user-only", "system-and-user", "multi-turn", "multi-turn-no-system", "ends-with-assistant", "unicode",
             "whitespace", "reasoning", "tool-role", "system-late", "user-twice"],
}


STRFTIME_FORMATS = ["%d %b %Y", "%A, %-d %B, %H:%M:%S", "%Y-%m-%d %H:%M", "%a %e %b %y", "%I:%M %p", "%j %U %W %w %u",
                    "%c", "%x %X", "%D %T %R %F", "%G-W%V-%u", "%^a %^B", "%_d|%-m|%0e", "%% %z%Z %f", "%C %g %h %k %l"]

JSON_VALUES = [None, True, False, 0, -7, 12345678901234, 0.5, 1.0, -0.0, 1e-05, 1e16, 123456789.125, 0.1 + 0.2, 1e300,
               "", "plain", "quote \" backslash \\ slash /", "\n\r\t\b\f\x00\x1f\x7f", "é — 東京 🌍 \u2028", [], {},
               [1, [2, [3, []]], {}], {"b": 1, "a": [True, None], "é": {"x": "y"}, "": 0}]
JSON_OPTIONS = [{}, {"indent": 2}, {"indent": 0}, {"indent": "\t"}, {"sort_keys": True}, {"separators": [",", ":"]},
                {"indent": 1, "separators": [", ", " = "], "sort_keys": True}]


def reference_functions(env):
    """strftime_now and tojson on their own, rendered through the template environment."""
    formats = {f: env.from_string("{{ strftime_now(f) }}").render(f=f) for f in STRFTIME_FORMATS}
    dumps = []
    for options in JSON_OPTIONS:
        for value in JSON_VALUES:
            dumps.append({"value": value, "options": options,
                          "expected": env.from_string("{{ value | tojson(**options) }}").render(value=value, options=options)})
    return formats, dumps


def main():
    env = environment()
    cases = []
    for family, names in FAMILIES.items():
        folder = os.path.join(MODELS, family)
        with open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8") as f:
            tokens = special_tokens(json.load(f))
        template = env.from_string(template_text(folder))
        for name in names:
            messages, variables = CONVERSATIONS[name]
            for add_generation_prompt in (False, True):
                case = {"model": family, "conversation": name, "add_generation_prompt": add_generation_prompt,
                        "messages": messages, "variables": variables}
                try:
                    context = {"messages": messages, "tools": None, "documents": None,
                               "add_generation_prompt": add_generation_prompt, **tokens, **variables}
                    case["expected"] = template.render(**context)
                except jinja2.exceptions.TemplateError as error:
                    case["error"] = str(error)
                cases.append(case)
    formats, dumps = reference_functions(env)
    out = {"generator": "render_expected.py", "jinja2": jinja2.__version__, "python": sys.version.split()[0],
           "now": NOW.isoformat(), "cases": cases, "strftime": formats, "tojson": dumps}
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases, {sum('error' in c for c in cases)} of them errors, {len(formats)} strftime formats,"
          f" {len(dumps)} tojson values, written to expected.json")


if __name__ == "__main__":
    main()
