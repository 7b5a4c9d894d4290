"""`seam-tui completion bash|zsh|fish`: one script that completes both `seam-tui` and
`seam-mcp` (commands, options, and the values of options with choices), made from their own
argument parsers, so it never disagrees with them.

    eval "$(seam-tui completion bash)"       # in ~/.bashrc
    eval "$(seam-tui completion zsh)"        # in ~/.zshrc
    seam-tui completion fish > ~/.config/fish/conf.d/seam-tui.fish
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

from seam_tui.cli_support import populate_all

SHELLS = ("bash", "zsh", "fish")
PROGRAMS = ("seam-tui", "seam-mcp")


def add_completion_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `seam-tui completion`."""
    parser.description = (
        "Print the shell completion script of seam-tui and seam-mcp. bash: add "
        '`eval "$(seam-tui completion bash)"` to ~/.bashrc; zsh: `eval "$(seam-tui completion '
        'zsh)"` in ~/.zshrc; fish: `seam-tui completion fish > '
        "~/.config/fish/conf.d/seam-tui.fish`."
    )
    parser.add_argument("shell", choices=SHELLS)
    parser.set_defaults(func=_print_script)


def _print_script(args: argparse.Namespace) -> int:
    from seam_tui.console_text import say_lines

    say_lines(script(args.shell).splitlines())
    return 0


@dataclass
class Node:
    """What may follow a command path: words (commands, options, positional choices), and the
    options that take a value (with its choices; none means any value, e.g. a file)."""

    words: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)


def command_tree() -> dict[str, Node]:
    """Every command path of both programs ("seam-tui workspace add") and its Node."""
    from agent_tools.cli import build_parser as mcp_parser
    from seam_tui.cli import build_parser

    tree: dict[str, Node] = {}
    _walk("seam-mcp", mcp_parser(), tree)
    _walk("seam-tui", build_parser(), tree)
    for path in [p for p in tree if p.startswith("seam-mcp")]:  # `seam-tui mcp ...` is seam-mcp
        tree["seam-tui mcp" + path.removeprefix("seam-mcp")] = tree[path]
    return tree


def _walk(path: str, parser: argparse.ArgumentParser, tree: dict[str, Node]) -> None:
    populate_all(parser)
    node = tree.setdefault(path, Node())
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                node.words.append(name)
                if sub.add_help:  # `mcp` (no help of its own) is grafted from seam-mcp
                    _walk(f"{path} {name}", sub, tree)
        elif action.option_strings:
            node.words += [o for o in action.option_strings if o.startswith("--")]
            if action.nargs != 0:
                for option in action.option_strings:
                    node.values[option] = [str(c) for c in action.choices or ()]
        elif action.choices:
            node.words += [str(c) for c in action.choices]


def script(shell: str) -> str:
    """The completion script for `shell` (bash, zsh or fish)."""
    tree = command_tree()
    if shell == "fish":
        return _fish(tree)
    bash = _bash(tree)
    if shell == "zsh":
        return "autoload -U +X bashcompinit && bashcompinit\n" + bash
    return bash


def _q(words: list[str]) -> str:
    return shlex.quote(" ".join(words))


def _bash(tree: dict[str, Node]) -> str:
    words = "\n".join(f"    {shlex.quote(p)}) echo {_q(n.words)} ;;" for p, n in tree.items())
    values = "\n".join(
        f"    {shlex.quote(p + '|' + o)}) echo {_q(c)} ;;"
        for p, n in tree.items()
        for o, c in n.values.items()
    )
    return f"""# seam-tui and seam-mcp completion (bash); made by `seam-tui completion bash`.
_seam_tui_words() {{
  case "$1" in
{words}
  esac
}}
_seam_tui_values() {{
  case "$1|$2" in
{values}
    *) return 1 ;;
  esac
}}
_seam_tui_complete() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
  local path=${{COMP_WORDS[0]##*/}} word i values
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${{COMP_WORDS[i]}}
    # the value of an option (`--workspace NAME`) is never a command
    _seam_tui_values "$path" "${{COMP_WORDS[i-1]}}" >/dev/null && continue
    case " $(_seam_tui_words "$path") " in
      *" $word "*) [[ $word == -* ]] || path="$path $word" ;;
    esac
  done
  if values=$(_seam_tui_values "$path" "$prev"); then
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_seam_tui_words "$path")" -- "$cur"))
  fi
}}
complete -o default -F _seam_tui_complete {" ".join(PROGRAMS)}
"""


def _fish(tree: dict[str, Node]) -> str:
    words = "\n".join(
        f"        case {shlex.quote(p)}\n            echo {_q(n.words)}" for p, n in tree.items()
    )
    values = "\n".join(
        f"        case {shlex.quote(p + '|' + o)}\n            echo {_q(c)}"
        for p, n in tree.items()
        for o, c in n.values.items()
    )
    complete = "\n".join(
        f"complete -c {p} -f -n 'not __seam_tui_wants_file' -a '(__seam_tui_complete)'\n"
        f"complete -c {p} -F -n '__seam_tui_wants_file'"
        for p in PROGRAMS
    )
    return f"""# seam-tui and seam-mcp completion (fish); made by `seam-tui completion fish`.
function __seam_tui_words
    switch "$argv[1]"
{words}
    end
end
function __seam_tui_values
    switch "$argv[1]|$argv[2]"
{values}
        case '*'
            return 1
    end
end
function __seam_tui_state
    set -l tokens (commandline -opc)
    set -l path (basename -- $tokens[1])
    set -l prev $tokens[1]
    for word in $tokens[2..-1]
        if not __seam_tui_values "$path" "$prev" >/dev/null
            and not string match -q -- '-*' $word
            and contains -- $word (string split ' ' -- (__seam_tui_words "$path"))
            set path "$path $word"
        end
        set prev $word
    end
    echo $path
    echo $prev
end
function __seam_tui_wants_file
    set -l state (__seam_tui_state)
    set -l values (__seam_tui_values $state[1] $state[2])
    and test -z "$values"
end
function __seam_tui_complete
    set -l state (__seam_tui_state)
    if set -l values (__seam_tui_values $state[1] $state[2])
        string split ' ' -- $values
    else
        string split ' ' -- (__seam_tui_words $state[1])
    end
end
{complete}
"""
