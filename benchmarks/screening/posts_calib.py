"""Posts: the calibration and threshold scored out-of-*election* inside a training era (issue 11).

Run: python benchmarks/screening/posts_calib.py [--csv FILE] [--seed N] [--by candidate] [--counts] VARIANT [VARIANT ...]
     VARIANT = CAL:THR:UNASSIGNED:HS:MARGIN, e.g. group:group:own:0:0.02
       CAL, THR       `source` (today: the era's posts cross-fitted in 5 random folds) or
                      `group` (each sub-election's posts scored by a model trained without it);
                      THR also `named`: `group` scores, the threshold chosen only on the posts
                      scored out-of-election (with UNASSIGNED `split`: not the unassigned);
                      `both`: every post counted twice, with either score
       UNASSIGNED     `own` (posts naming no candidate of the era, or candidates of several
                      sub-elections, are one more group) or `split` (they are cross-fitted in 5
                      random folds, in-source, as today)
       HS             strength of the hate-speech-flag balance of `posts_reweight.py` (0: none)
       MARGIN         threshold margin over TARGET_PRECISION 0.90 (0.02 today; 0.00 → 0.90)

Today the training era's tweets are scored for the calibration by random 5-fold cross-fitting
(`_out_of_group_scores` falls back to it: the other groups, news, hold no partisan post), so the
calibrator and the threshold learn how confident the model is *within* an election it trained on.
Here each tweet is assigned to a sub-election of its era by the candidates it names (the era's
lists in `past-elections.yaml`; see `sub_election`), and the sub-elections are held out in turn.
Everything else is the shipped recipe, judged by `evaluate_by_source` (both election groups, each
by a model trained without it).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from posts_variants import parser, print_header, print_rows, restored  # beside this script
from sklearn.linear_model import LogisticRegression

from netral.screening import text as T
from netral.screening.lexicon import Lexicon

NAME_KINDS = ("name", "nickname", "slogan", "hashtag")  # a party names no single election
UNASSIGNED = "unassigned"
BY = "election"  # `--by candidate`: a post naming one candidate (pair) only is its own group


def election_key(past: T.PastElection) -> str:
    """National elections are one line (2014 and 2019 share their candidates); the pilkada of
    one voting day (a simultaneous round, e.g. Jabar, Jateng, Jatim, Sumut 2018) are one."""
    e = past.election.election
    return "pemilu" if e.kind == "pemilu" else f"pilkada-{e.voting_day.isoformat()}"


def sub_election(text: str, lexicons: dict[str, Lexicon]) -> str:
    """The sub-election a post names: the one key whose lists hold a term no other key holds;
    a post naming no candidate, or candidates of several sub-elections, is unassigned."""
    found: dict[str, set[str]] = {}
    for key, lex in lexicons.items():
        terms = {
            m.term.lower()
            for m in lex.match(text)
            if m.kind in NAME_KINDS and m.term.lower() not in T.EVERYDAY_NAME_WORDS
        }
        if terms:
            found[key] = terms
    if len(found) == 1:
        key = next(iter(found))
        if BY == "candidate":
            who = {m.candidate for m in lexicons[key].match(text) if m.kind in NAME_KINDS}
            if len(who) == 1 and None not in who:
                return f"{key}/{who.pop()}"
        return key
    decisive = {
        k
        for k, terms in found.items()
        if any(all(t not in o for o in found.values() if o is not terms) for t in terms)
    }
    return decisive.pop() if len(decisive) == 1 else UNASSIGNED


def calibration_groups(
    texts: Sequence[str],
    groups: Any,
    past: Sequence[T.PastElection],
    unassigned: str,
    seed: int = 0,
) -> Any:
    """Election groups refined to sub-elections (weak posts and news keep their group)."""
    lexicons: dict[str, dict[str, Lexicon]] = {}
    for era in {p.era for p in past}:
        keys: dict[str, list[Any]] = {}
        for p in past:
            if p.era == era:
                keys.setdefault(election_key(p), []).append(p.election)
        lexicons[era] = {k: Lexicon.from_elections(v) for k, v in keys.items()}
    rng = np.random.default_rng(seed)
    out = []
    for text, group in zip(texts, groups.tolist(), strict=True):
        if group not in lexicons:
            out.append(group)
            continue
        sub = sub_election(text, lexicons[group])
        if sub == UNASSIGNED and unassigned == "split":
            sub = f"{UNASSIGNED}-{int(rng.integers(5))}"
        out.append(f"{group}/{sub}")
    return np.array(out)


LAST: dict[str, Any] = {}


def patched_fit(cal_on: str, thr_on: str, unassigned: str) -> Any:
    def fit(
        texts: Sequence[str],
        y: Any,
        groups: Any,
        *,
        seed: int = 0,
        weights: Any = None,
        past: Sequence[T.PastElection] | None = None,
        weak: bool | None = None,
        train_only: Any = None,
    ) -> Any:
        weak = T.WEAK_LABELS if weak is None else weak
        w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
        lists = T.past_elections() if past is None else list(past)
        plex = T._PastLexicon(lists, T.EVERYDAY_NAME_WORDS)
        model = T._Model(seed=seed)
        model.names = T.learn_names(texts) | plex.names
        real = len(texts)
        sub = calibration_groups(texts, groups, lists, unassigned, seed)
        if weak:
            wtexts, wlabels = T.weak_posts(lists, seed=seed)
            texts = [*texts, *wtexts]
            y = np.concatenate([y, np.array(wlabels, dtype=np.int64)])
            groups = np.concatenate([groups, np.full(len(wtexts), T.WEAK_GROUP)])
            sub = np.concatenate([sub, np.full(len(wtexts), T.WEAK_GROUP)])
            w = np.concatenate([w, np.full(len(wtexts), T.WEAK_WEIGHT)])
        normed = plex.normalise_all(texts, model.names)
        X = model.fit_features(normed)
        model.fit_linear(X, y, w)
        oof: dict[str, Any] = {}
        kinds = {"source", "group"} if "both" in (cal_on, thr_on) else {cal_on, thr_on}
        for kind in kinds - {"named", "both"} | ({"group"} if thr_on == "named" else set()):
            g = groups if kind == "source" else sub
            oof[kind], method = T._out_of_group_scores(X, y, g, w, model.c, seed)
            LAST[kind] = method
        posts = np.zeros(len(y), dtype=bool)
        posts[:real] = True if train_only is None else ~np.asarray(train_only, dtype=bool)
        y, w = y[posts], w[posts]
        texts = [t for t, keep in zip(texts, posts, strict=True) if keep]
        cal = LogisticRegression(C=1.0, max_iter=1000, class_weight=T.CALIBRATION_WEIGHT)
        if cal_on == "both":  # each post twice: as its era's model and as a new election's
            both = np.vstack([oof["source"][posts], oof["group"][posts]])
            cal.fit(both, np.concatenate([y, y]), sample_weight=np.concatenate([w, w]))
        else:
            cal.fit(oof[cal_on][posts], y, sample_weight=w)
        model.cal_coef = np.asarray(cal.coef_, dtype=np.float64)
        model.cal_intercept = np.asarray(cal.intercept_, dtype=np.float64)
        thr_scores = {"named": "group", "both": "source"}.get(thr_on, thr_on)
        proba = model.proba_from_scores(oof[thr_scores][posts])
        calls = np.array(
            [any(m.call for m in T.generic_number_matches(t)) for t in texts], dtype=bool
        )
        # `named`: the threshold only on posts scored out-of-election (not the unassigned folds)
        out = (
            np.array([f"/{UNASSIGNED}-" not in g for g in sub[posts].tolist()])
            if thr_on == "named"
            else np.ones(len(y), dtype=bool)
        )
        if thr_on == "both":
            p2 = model.proba_from_scores(oof["group"][posts])[:, T.PARTISAN]
            choice = T._choose_threshold(
                np.concatenate([proba[:, T.PARTISAN], p2]),
                np.concatenate([calls, calls]),
                np.concatenate([y, y]) == T.PARTISAN,
            )
        else:
            choice = T._choose_threshold(proba[out, T.PARTISAN], calls[out], y[out] == T.PARTISAN)
        model.threshold = choice.threshold
        LAST["choice"] = choice
        return model, T.Calibration(LAST.get(cal_on, "both"), len(y), choice)

    return fit


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--seed", type=int, default=0, help="folds and SVM seed")
    ap.add_argument("--by", choices=["election", "candidate"], default="election")
    ap.add_argument("--counts", action="store_true", help="print the sub-election counts only")
    ap.add_argument("variants", nargs="*", default=["source:source:split:0:0.02"])
    args = ap.parse_args()
    global BY
    BY = args.by
    if args.counts:
        rows = T._read_rows(args.csv)
        for unassigned in ("own",):
            sub = calibration_groups(rows.texts, rows.groups, T.past_elections(), unassigned)
            for g in sorted(set(sub.tolist())):
                n = np.bincount(rows.y[sub == g], minlength=3)
                print(f"| {g} | {n[0]} | {n[1]} | {n[2]} |")
        return 0
    import posts_reweight as pr

    print_header("cal", "thr", "unassigned", "HS", "margin")
    for spec in args.variants:
        cal_on, thr_on, unassigned, hs, margin = spec.split(":")
        with restored("_read_rows", "_fit", "THRESHOLD_MARGIN"):
            if float(hs):
                T._read_rows = pr.balanced_reader(args.csv, float(hs))
            T._fit = patched_fit(cal_on, thr_on, unassigned)
            T.THRESHOLD_MARGIN = float(margin)
            t0 = time.perf_counter()
            ev = T.evaluate_by_source(args.csv, seed=args.seed)
        print_rows(ev, cal_on, thr_on, unassigned, hs, margin, flush=True)
        print(
            f"<!-- {spec} seed {args.seed} by {args.by}: {time.perf_counter() - t0:.0f} s -->",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
