"""The deployment files shipped in deploy/: the nginx configuration parses, proxies to gunicorn
with keep-alive connections that nginx always drops before gunicorn does (else a reused
connection gunicorn has just closed answers 502), and the systemd units run what the docs say."""

import configparser
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX = ROOT / "deploy" / "nginx" / "forum.conf"
TOKEN = re.compile(
    r"""\s*(?:(#[^\n]*)|([{};])|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s{};"'#]+))"""
)


def parse_nginx(text: str) -> list:
    """nginx's configuration as a tree: [(directive, [arguments], children or None), …].

    Enough of nginx's grammar for our file: words, quoted strings, `;` ends a directive, `{ … }`
    holds a block's children, `#` starts a comment. Anything unbalanced raises ValueError.
    """
    stack: list[list] = [[]]
    words: list[str] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise ValueError(
                f"can't read nginx configuration at {text[position : position + 30]!r}"
            )
        position = match.end()
        comment, punctuation, double, single, word = match.groups()
        if comment is not None:
            continue
        if punctuation == ";":
            if not words:
                raise ValueError("a ';' without a directive")
            stack[-1].append((words[0], words[1:], None))
            words = []
        elif punctuation == "{":
            if not words:
                raise ValueError("a block without a directive")
            block: list = []
            stack[-1].append((words[0], words[1:], block))
            stack.append(block)
            words = []
        elif punctuation == "}":
            if words or len(stack) == 1:
                raise ValueError("an unbalanced '}' or a directive without ';'")
            stack.pop()
        else:
            words.append(next(value for value in (double, single, word) if value is not None))
    if words or len(stack) != 1:
        raise ValueError("the configuration ends inside a directive or a block")
    return stack[0]


def find(tree: list, name: str, *arguments: str) -> list:
    return [
        entry
        for entry in tree
        if entry[0] == name and list(entry[1][: len(arguments)]) == list(arguments)
    ]


def seconds(value: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    match = re.fullmatch(r"(\d+)(ms|s|m|h)?", value)
    assert match, f"not an nginx time: {value}"
    return int(match.group(1)) * units[match.group(2) or "s"]


def gunicorn_keepalive() -> float:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["keepalive"]


def keepalive_problems(tree: list, gunicorn_seconds: float) -> list[str]:
    """What in the configuration lets nginx reuse a connection gunicorn may have closed."""
    problems = []
    (upstream,) = find(tree, "upstream", "forum_app")
    children = upstream[2]
    if not find(children, "keepalive"):
        return problems  # no reuse at all: nothing to race
    timeouts = find(children, "keepalive_timeout")
    # nginx's default upstream keepalive_timeout is 60 s.
    upstream_seconds = seconds(timeouts[0][1][0]) if timeouts else 60
    if upstream_seconds >= gunicorn_seconds:
        problems.append(
            f"upstream keepalive_timeout {upstream_seconds:g}s is not shorter than "
            f"gunicorn's keepalive {gunicorn_seconds:g}s"
        )
    for server in find(tree, "server"):
        for location in find(server[2], "location"):
            body = location[2]
            if not find(body, "proxy_pass", "http://forum_app"):
                continue
            if find(body, "proxy_http_version") != [("proxy_http_version", ["1.1"], None)]:
                problems.append("keep-alive to the upstream needs proxy_http_version 1.1")
            if not find(body, "proxy_set_header", "Connection", ""):
                problems.append('keep-alive to the upstream needs proxy_set_header Connection ""')
    return problems


@pytest.fixture(scope="module")
def nginx_tree() -> list:
    return parse_nginx(NGINX.read_text())


def test_the_nginx_configuration_parses_into_its_blocks(nginx_tree):
    assert [entry[0] for entry in nginx_tree] == [
        "upstream",
        "map",
        "log_format",
        "server",
        "server",
    ]
    (upstream,) = find(nginx_tree, "upstream", "forum_app")
    assert find(upstream[2], "server") == [("server", ["127.0.0.1:8000"], None)]


def test_nginx_drops_idle_upstream_connections_before_gunicorn_does(nginx_tree):
    assert gunicorn_keepalive() == 75
    assert keepalive_problems(nginx_tree, gunicorn_keepalive()) == []


def test_the_check_catches_the_configuration_that_gave_the_502():
    """Negative control: nginx's defaults against gunicorn's default keepalive (2 s)."""
    broken = """
        upstream forum_app { server 127.0.0.1:8000; keepalive 16; }
        server { listen 443 ssl; location / { proxy_pass http://forum_app; } }
    """
    assert keepalive_problems(parse_nginx(broken), 2) == [
        "upstream keepalive_timeout 60s is not shorter than gunicorn's keepalive 2s",
        "keep-alive to the upstream needs proxy_http_version 1.1",
        'keep-alive to the upstream needs proxy_set_header Connection ""',
    ]
    no_reuse = "upstream forum_app { server 127.0.0.1:8000; }"
    assert keepalive_problems(parse_nginx(no_reuse), 2) == []


def test_the_proxy_passes_what_the_app_trusts(nginx_tree):
    https = [s for s in find(nginx_tree, "server") if find(s[2], "listen", "443")]
    (location,) = find(https[0][2], "location", "/")
    body = location[2]
    assert find(body, "proxy_set_header", "X-Forwarded-For") == [
        ("proxy_set_header", ["X-Forwarded-For", "$proxy_add_x_forwarded_for"], None)
    ]
    assert find(body, "proxy_set_header", "X-Forwarded-Proto") == [
        ("proxy_set_header", ["X-Forwarded-Proto", "$scheme"], None)
    ]
    # The access log writes link tokens as [token].
    (log,) = find(https[0][2], "access_log")
    assert log[1] == ["/var/log/nginx/forum.access.log", "forum"]


@pytest.mark.parametrize("broken", ["server { listen 80;", "server { listen 80 }", "}", "listen"])
def test_the_parser_refuses_unbalanced_text(broken):
    with pytest.raises(ValueError):
        parse_nginx(broken)


def test_the_systemd_units_run_the_web_app_and_the_resilient_worker():
    units = {}
    for path in sorted((ROOT / "deploy" / "systemd").glob("*.service")):
        unit = configparser.ConfigParser(interpolation=None, strict=False)
        unit.optionxform = str
        unit.read(path)
        units[path.name] = unit
    assert units["forum-worker.service"]["Service"]["ExecStart"].endswith(
        "manage.py task_worker --queue-name=*"
    )
    assert units["forum-worker.service"]["Service"]["Restart"] == "always"
    assert units["forum-web.service"]["Service"]["ExecStart"].startswith(
        "/srv/forum/.venv/bin/gunicorn"
    )
    assert units["forum-web.service"]["Service"]["Restart"] == "always"
