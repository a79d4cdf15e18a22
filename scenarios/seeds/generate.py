#!/usr/bin/env python3
"""Write scenarios/seeds/<list>.toml: for each seed list of data/seeds/*.txt, one scenario that
opens EVERY item of the list as its own case and takes it to its end on its procedure's happy
path (the paths of crates/quanze-case/tests/seeds.rs). Case names are the item's serial
("1", "2", …) or "line:N" for an item without one (or whose serial is not unique in the list).

A penalty item's fine is the middle of the statutory range that the law crate computes for
its article on a loss (计罚基数) of 10,000 元 (`quanze penalty --list L --item N --base-amount
10000 --format json`), rounded down to whole yuan; an item for which no fine range can be
computed gets 1,000 元, as in tests/seeds.rs.

Usage: python3 scenarios/seeds/generate.py /path/to/quanze   (stdlib only)
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.normpath(os.path.join(HERE, "../../data/seeds"))
BASE = 10000
DATE = "2026-03-16"  # the day of the decision in the happy path

PEOPLE = {
    "张三": dict(role="officer", certificate="豫A0001"),
    "李四": dict(role="officer", certificate="豫A0002"),
    "王局长": dict(role="leader"),
    "赵副局长": dict(role="leader"),
    "钱审核": dict(role="legal_reviewer"),
    "孙窗口": dict(role="clerk"),
}

PROCEDURE = {"penalty": "penalty", "coercion": "coercion", "inspection": "inspection", "reward": "reward"}


def v(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return repr(x)
    if isinstance(x, list):
        return "[" + ", ".join(v(y) for y in x) + "]"
    return '"' + str(x).replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_json(args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        return None
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError:
        return None


def fen_text(fen):
    return f"{fen // 100}.{fen % 100:02d}" if fen % 100 else str(fen // 100)


def fine_for(quanze, path, item):
    """(fine in fen, note): the middle of the item's statutory range, or the 1,000 元 default.
    The range is that of the first cited article with a fine on the party, taken under any of
    its conditions (the engine checks the widest range, the case records no facts)."""
    answers = []
    if item.get("seq") is not None:
        answers.append(run_json([quanze, "penalty", "--list", path, "--item", str(item["seq"]),
                                 "--base-amount", str(BASE), "--date", DATE, "--format", "json"]))
    else:  # no serial: ask article by article, as tests/seeds.rs does
        for c in (item.get("legal_basis") or {}).get("citations") or []:
            if c.get("article") is None:
                continue
            answers.append(run_json([quanze, "penalty", "--statute", c["title"], "--article", str(c["article"]),
                                     "--base-amount", str(BASE), "--date", DATE, "--format", "json"]))
    for r in answers:
        results = (r.get("results") or []) if isinstance(r, dict) and "results" in r else [r]
        for x in results:
            lo, hi, basis = party_range(x)
            if lo is not None:
                mid = (lo + hi) // 2 // 100 * 100
                return mid, f"法定幅度 {fen_text(lo)}–{fen_text(hi)} 元（{basis}，计罚基数 {BASE} 元），取中间值"
    return 100000, "未能计算法定幅度：按 tests/seeds.rs 取 1000 元"


def party_range(x):
    """The widest range of the fines on the party in one article's answer (fen), any condition."""
    if not isinstance(x, dict):
        return None, None, ""
    fines = [f for f in x.get("fines") or [] if f.get("target") == "party"
             and f.get("min_fen") is not None and f.get("max_fen") is not None]
    if not fines:
        return None, None, ""
    lo = min(f["min_fen"] for f in fines)
    hi = max(f["max_fen"] for f in fines)
    conds = "；".join(dict.fromkeys(f.get("condition") or "" for f in fines if f.get("condition")))
    basis = f"{x.get('statute', '')} 第{x.get('article', '')}条" + (f"，情形：{conds}" if conds else "")
    return lo, hi, basis


def steps_for(proc, fine_fen):
    money = dict(fine_yuan=fen_text(fine_fen), base_yuan=BASE)
    if proc == "penalty":
        return [
            ("2026-03-02", "张三", "open", dict(party="unit")),
            ("2026-03-03", ["张三", "李四"], "register", {}),
            ("2026-03-04", ["张三", "李四"], "investigate", dict(evidence=["书证", "现场笔录"])),
            ("2026-03-10", ["张三", "李四"], "conclude", {}),
            ("2026-03-11", "钱审核", "legal_review", dict(opinion="同意")),
            ("2026-03-12", ["张三", "李四"], "notify", money),
            ("2026-03-13", "张三", "waive", {}),
            ("2026-03-13", ["王局长", "赵副局长"], "discuss", {}),
            ("2026-03-16", "王局长", "decide", dict(decision="penalty", **money)),
            ("2026-03-17", "张三", "serve", dict(method="direct")),
            ("2026-03-20", "张三", "pay", dict(amount_yuan=fen_text(fine_fen), to="bank")),
            ("2026-03-21", "王局长", "close", {}),
        ]
    if proc == "coercion":
        return [
            ("2026-03-02", "张三", "open", dict(party="unit")),
            ("2026-03-02", "王局长", "approve", {}),
            ("2026-03-03", ["张三", "李四"], "seal", dict(scene_record="现场笔录第1号")),
            ("2026-03-20", ["张三", "李四"], "release_seal", {}),
            ("2026-03-21", "王局长", "close", {}),
        ]
    if proc == "inspection":
        return [
            ("2026-03-02", "张三", "open", dict(party="unit")),
            ("2026-03-03", ["张三", "李四"], "inspect", {}),
            ("2026-03-04", "张三", "dispose", dict(measure="责令改正")),
            ("2026-03-20", ["张三", "李四"], "recheck", {}),
            ("2026-03-21", "王局长", "close", {}),
        ]
    if proc == "reward":
        return [
            ("2026-03-02", "孙窗口", "open", dict(party="individual")),
            ("2026-03-03", "张三", "review", {}),
            ("2026-03-04", "张三", "publish", {}),
            ("2026-03-16", "王局长", "approve", dict(amount_yuan=1000)),
            ("2026-03-17", "张三", "award", dict(amount_yuan=1000)),
            ("2026-03-18", "王局长", "close", {}),
        ]
    return [
        ("2026-03-02", "孙窗口", "open", dict(party="individual", complete=True)),
        ("2026-03-02", "孙窗口", "accept", {}),
        ("2026-03-03", "孙窗口", "review", {}),
        ("2026-03-04", "孙窗口", "approve", {}),
        ("2026-03-05", "孙窗口", "close", {}),
    ]


def items_of(quanze, path):
    r = run_json([quanze, "import", path, "--format", "json"])
    if r is None:
        raise SystemExit(f"quanze import {path} failed")
    items = r.get("items") if isinstance(r, dict) else r
    return items


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    quanze = os.path.abspath(sys.argv[1])
    total = 0
    for fname in sorted(os.listdir(SEEDS)):
        if not fname.endswith(".txt"):
            continue
        path = os.path.join(SEEDS, fname)
        items = items_of(quanze, path)
        seqs = [it.get("seq") for it in items]
        out = [
            f"# Generated by scenarios/seeds/generate.py from data/seeds/{fname}: do not edit by hand.",
            "# 清单中每一个事项各开一个案件，按其程序的正常路径办到终结（见 crates/quanze-case/tests/seeds.rs）。",
            f"title = {v('种子清单 ' + fname + '：全部 ' + str(len(items)) + ' 个事项逐一办结')}",
            f"list = {v('../../data/seeds/' + fname)}",
            'now = "2026-12-31"',
        ]
        for n, p in PEOPLE.items():
            out += ["", f'[people."{n}"]'] + [f"{k} = {v(x)}" for k, x in p.items()]
        for it in items:
            seq = it.get("seq")
            unique = seq is not None and seqs.count(seq) == 1
            sel = seq if unique else f"line:{it['line']}"
            case = str(seq) if unique else f"line:{it['line']}"
            cat = it.get("category", "other")
            proc = PROCEDURE.get(cat, "service")
            fine, note = (0, None)
            if proc == "penalty":
                fine, note = fine_for(quanze, path, it if unique else {**it, "seq": None})
            out += ["", f"# ---- {case}：{it.get('name', '')}（{cat} → {proc}）"]
            if note:
                out.append(f"# {note}")
            for at, by, action, keys in steps_for(proc, fine):
                out += ["[[step]]", f"at = {v(at)}", f"by = {v(by)}", f"case = {v(case)}", f"action = {v(action)}"]
                if action == "open":
                    out.append(f"item = {v(sel)}")
                out += [f"{k} = {v(x)}" for k, x in keys.items()]
                out += ['expect = "applied"', ""]
            total += 1
        name = os.path.splitext(fname)[0] + ".toml"
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            f.write("\n".join(out).rstrip() + "\n")
        print(f"{name}: {len(items)} items")
    print(f"{total} items in all")


if __name__ == "__main__":
    main()
