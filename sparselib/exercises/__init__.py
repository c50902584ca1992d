"""Self-checks for the chapters' code exercises, and the conventions every chapter follows.

Each chapter ``NN`` has a module ``sparselib.exercises.chNN`` with one public checker per
exercise, ``check_<name>(student_fn, *, lang=None, seed=0, quiet=False) -> Report``. A
checker runs the student's function and the library's reference on a few cases, prints
one line per case (passed, or what to fix), and returns a :class:`Report` (truthy when
every case passed; displaying it in a notebook prints nothing more).

Conventions for exercise cells in ``chapters/en/NN_topic.ipynb``
-----------------------------------------------------------------
An exercise is four consecutive cells. ``tools/students.py`` turns the chapter into the
student notebook ``students/<lang>/NN_topic.ipynb`` with nbgrader's own preprocessors,
and ``tests/test_students.py`` runs nbgrader's assignment generation on the chapters.

1. **Statement** (markdown): a sphinx-exercise block, label ``ex-<name>``::

       :::{exercise}
       :label: ex-soft-threshold-code
       Write `soft_threshold_student(v, t)` ...
       :::

   State the function's name, arguments with shapes, and what it returns.
2. **Solution** (code), nbgrader metadata and the tag ``hide-input`` (the book shows the
   code collapsed behind a "show" toggle)::

       "nbgrader": {"grade": false, "solution": true, "locked": false, "task": false,
                    "schema_version": 3, "grade_id": "chNN-<name>-solution"}

   The cell defines ``<name>_student(...)``; its body lies between ``### BEGIN SOLUTION``
   and ``### END SOLUTION`` (both inside the function, indented like the body). The
   student notebook keeps the signature and docstring and gets
   ``raise NotImplementedError()`` as the body. No prints, no top-level work.
3. **Self-check** (code, visible), read-only in nbgrader::

       "nbgrader": {"grade": false, "solution": false, "locked": true, "task": false,
                    "schema_version": 3, "grade_id": "chNN-<name>-check"}

   One line: ``check_<name>(<name>_student)`` (imported in the chapter's imports cell with
   ``from sparselib.exercises.chNN import check_...``). Tagged ``nbval-check-output``
   (nbval runs the English chapter, whose printed lines are deterministic) and stored
   with ``python tools/book.py store-outputs``.
4. **Hidden tests** (code), tag ``remove-cell`` (never in the book; the build is checked),
   autograded in nbgrader::

       "nbgrader": {"grade": true, "solution": false, "locked": true, "task": false,
                    "points": 1, "schema_version": 3, "grade_id": "chNN-<name>-tests"}

   Source: a visible comment line, then ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN
   TESTS`` holding ``assert`` statements, e.g.
   ``assert check_<name>(<name>_student, seed=1, quiet=True), "..."`` plus one direct
   comparison with the library. Hidden tests use other seeds than the self-check.

Helper for writing these cells: none; copy the four cells of an existing exercise
(chapter 1 has two) and keep the cell ids ``ex-<name>``, ``ex-<name>-solution``,
``ex-<name>-check``, ``ex-<name>-tests``. ``grade_id`` values are unique over the whole
course (prefix ``chNN-``). Later cells of a
chapter never call a ``*_student`` function (in the student notebook it raises), so a
student notebook fails only where an exercise is unfinished: that is tested.

Checkers (in ``chNN.py``)
-------------------------
Build a list of :class:`Case` (``label``: maths only, e.g. ``"v ∈ ℝ^{4×7}, t = 0.5"``;
``args``; optional ``hint``: a dict ``{lang: text}`` over the six languages, shown when the
case fails) and call :func:`run_cases` with the reference. It compares type, shape,
dtype and values (``torch.testing``-style tolerances), checks that inputs were not
modified in place, and turns any exception into a failed case -- except
``NotImplementedError``, which prints how to start and is raised again (the student
notebooks rely on this). Shared messages live in :data:`MESSAGES`, in the six languages
of :data:`sparselib.i18n.LANGUAGES`; a test fails when one is missing.

Each ``chNN.py`` keeps its hint texts in a module-level dict ``HINTS`` (key -> {lang:
text}); tests/test_exercises.py checks every language is present in ``MESSAGES`` and in
every ``HINTS``, and that each checker passes a correct solution and fails a wrong one:
for every new ``check_<name>``, add an independent correct solution to ``REFERENCES``
and a plausible wrong one to ``WRONG`` in tests/test_exercises.py (keyed by the
checker's name).

After editing a chapter's exercises: ``python tools/students.py`` (writes the student
notebooks; ``make book`` runs it too), ``python tools/book.py store-outputs <chapter>``,
then ``pytest tests/test_students.py``.

Language: ``lang`` argument, else a ``LANG`` variable of the notebook (``__main__``),
else the environment variable ``SPARSELIB_LANG``, else English.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import torch
from torch import Tensor

from ..i18n import LANGUAGES, check_lang, notebook_language

__all__ = ["Case", "Report", "MESSAGES", "language", "message", "run_cases"]

PASS, FAIL = "✓", "✗"

# key -> {lang: text}; templates are filled with str.format by the caller.
MESSAGES: dict[str, dict[str, str]] = {
    "header": {
        "en": "Checking {name} against sparselib's reference on {n} cases:",
        "es": "Comprobando {name} frente a la referencia de sparselib en {n} casos:",
        "it": "Verifica di {name} rispetto al riferimento di sparselib su {n} casi:",
        "fr": "Vérification de {name} par rapport à la référence de sparselib sur {n} cas :",
        "fa": "بررسی {name} در برابر پیاده‌سازی مرجع sparselib روی {n} حالت:",
        "ko": "{n}개 사례에서 {name}을(를) sparselib 기준 구현과 비교합니다:",
    },
    "passed": {
        "en": "passed", "es": "correcto", "it": "superato", "fr": "réussi",
        "fa": "درست", "ko": "통과",
    },
    "all_passed": {
        "en": "All {n} cases passed. Well done!",
        "es": "Los {n} casos son correctos. ¡Bien hecho!",
        "it": "Tutti i {n} casi sono superati. Ottimo lavoro!",
        "fr": "Les {n} cas sont réussis. Bravo !",
        "fa": "هر {n} حالت درست است. آفرین!",
        "ko": "{n}개 사례를 모두 통과했습니다. 잘했습니다!",
    },
    "some_failed": {
        "en": "{k} of {n} cases passed. Fix the failed ones, run your cell again, then this one.",
        "es": "{k} de {n} casos son correctos. Corrige los fallidos, vuelve a ejecutar tu celda y luego esta.",
        "it": "{k} casi su {n} superati. Correggi quelli falliti, riesegui la tua cella e poi questa.",
        "fr": "{k} cas sur {n} réussis. Corrigez les autres, relancez votre cellule, puis celle-ci.",
        "fa": "{k} از {n} حالت درست است. حالت‌های نادرست را اصلاح کنید، سلول خود و سپس این سلول را دوباره اجرا کنید.",
        "ko": "{n}개 중 {k}개 사례를 통과했습니다. 실패한 사례를 고치고 작성한 셀과 이 셀을 다시 실행하세요.",
    },
    "not_implemented": {
        "en": "{name} is not written yet: in the exercise cell above, replace "
              "`raise NotImplementedError()` with your code, run that cell, then this one.",
        "es": "{name} aún no está escrita: en la celda del ejercicio, sustituye "
              "`raise NotImplementedError()` por tu código, ejecútala y luego ejecuta esta.",
        "it": "{name} non è ancora scritta: nella cella dell'esercizio sostituisci "
              "`raise NotImplementedError()` con il tuo codice, eseguila e poi esegui questa.",
        "fr": "{name} n'est pas encore écrite : dans la cellule de l'exercice, remplacez "
              "`raise NotImplementedError()` par votre code, exécutez-la, puis celle-ci.",
        "fa": "{name} هنوز نوشته نشده است: در سلول تمرین، به جای `raise NotImplementedError()` "
              "کد خود را بنویسید، آن سلول و سپس این سلول را اجرا کنید.",
        "ko": "{name}이(가) 아직 작성되지 않았습니다. 위 연습 셀에서 `raise NotImplementedError()`를 "
              "여러분의 코드로 바꾸고 그 셀을 실행한 뒤 이 셀을 실행하세요.",
    },
    "not_callable": {
        "en": "Pass your function itself (for example check(my_function)), not its result. Got {got}.",
        "es": "Pasa la función misma (por ejemplo check(mi_funcion)), no su resultado. Se recibió {got}.",
        "it": "Passa la funzione stessa (per esempio check(mia_funzione)), non il suo risultato. Ricevuto {got}.",
        "fr": "Passez la fonction elle-même (par exemple check(ma_fonction)), pas son résultat. Reçu {got}.",
        "fa": "خود تابع را بدهید (مثلاً check(my_function))، نه نتیجهٔ آن را. دریافت شد: {got}.",
        "ko": "함수의 결과가 아니라 함수 자체를 넘기세요 (예: check(my_function)). 받은 값: {got}.",
    },
    "raised": {
        "en": "your function raised {error}",
        "es": "tu función lanzó {error}",
        "it": "la tua funzione ha sollevato {error}",
        "fr": "votre fonction a levé {error}",
        "fa": "تابع شما این خطا را داد: {error}",
        "ko": "함수에서 오류가 발생했습니다: {error}",
    },
    "wrong_type": {
        "en": "expected a torch.Tensor, got {got}",
        "es": "se esperaba un torch.Tensor, se obtuvo {got}",
        "it": "atteso un torch.Tensor, ottenuto {got}",
        "fr": "un torch.Tensor était attendu, obtenu {got}",
        "fa": "یک torch.Tensor انتظار می‌رفت، ولی {got} برگشت",
        "ko": "torch.Tensor를 기대했지만 {got}을(를) 받았습니다",
    },
    "wrong_shape": {
        "en": "expected shape {expected}, got {got}",
        "es": "se esperaba la forma {expected}, se obtuvo {got}",
        "it": "attesa la forma {expected}, ottenuta {got}",
        "fr": "forme attendue {expected}, obtenue {got}",
        "fa": "شکل {expected} انتظار می‌رفت، ولی {got} برگشت",
        "ko": "모양 {expected}을(를) 기대했지만 {got}을(를) 받았습니다",
    },
    "wrong_dtype": {
        "en": "expected dtype {expected} (that of the input), got {got}",
        "es": "se esperaba el dtype {expected} (el de la entrada), se obtuvo {got}",
        "it": "atteso il dtype {expected} (quello dell'input), ottenuto {got}",
        "fr": "dtype attendu {expected} (celui de l'entrée), obtenu {got}",
        "fa": "نوع داده {expected} (همان ورودی) انتظار می‌رفت، ولی {got} برگشت",
        "ko": "입력과 같은 dtype {expected}을(를) 기대했지만 {got}을(를) 받았습니다",
    },
    "wrong_values": {
        "en": "values differ from the reference (largest difference {diff})",
        "es": "los valores difieren de la referencia (mayor diferencia {diff})",
        "it": "i valori differiscono dal riferimento (differenza massima {diff})",
        "fr": "les valeurs diffèrent de la référence (plus grand écart {diff})",
        "fa": "مقدارها با مرجع فرق دارند (بیشترین اختلاف {diff})",
        "ko": "값이 기준과 다릅니다 (최대 차이 {diff})",
    },
    "modified_input": {
        "en": "your function changed its input '{arg}' in place: compute a new tensor instead",
        "es": "tu función modificó su entrada '{arg}' en el sitio: calcula un tensor nuevo",
        "it": "la tua funzione ha modificato il suo input '{arg}' sul posto: calcola un nuovo tensore",
        "fr": "votre fonction a modifié son entrée '{arg}' sur place : calculez un nouveau tenseur",
        "fa": "تابع شما ورودی '{arg}' را درجا تغییر داد: به جای آن یک تانسور تازه بسازید",
        "ko": "함수가 입력 '{arg}'을(를) 제자리에서 바꿨습니다. 새 텐서를 계산하세요",
    },
    "hint": {
        "en": "Hint: {hint}", "es": "Pista: {hint}", "it": "Suggerimento: {hint}",
        "fr": "Indice : {hint}", "fa": "راهنمایی: {hint}", "ko": "힌트: {hint}",
    },
}


def language(lang: Optional[str] = None) -> str:
    """The language of the messages: ``lang``, else the notebook's ``LANG``, else
    ``$SPARSELIB_LANG``, else ``"en"`` (:func:`sparselib.i18n.notebook_language`)."""
    return notebook_language(lang, "sparselib.exercises")


def message(key: str, lang: str = "en", **values) -> str:
    """The text of message ``key`` in ``lang``, filled with ``values``."""
    return MESSAGES[key][check_lang(lang, "message")].format(**values)


@dataclass
class Case:
    """One call of the student's function.

    label : str
        What the case is, in maths and numbers only (shown in every language).
    args : tuple
        Positional arguments, passed to the student's function and to the reference
        (each gets its own copy of every tensor).
    hint : dict of str to str, optional
        ``{lang: text}``, shown when the case fails.
    """

    label: str
    args: tuple
    hint: Optional[dict] = None


@dataclass
class Report:
    """What a checker found: one ``(label, ok, problems)`` per case, and the printed text."""

    name: str
    results: list = field(default_factory=list)
    text: str = ""

    @property
    def passed(self) -> int:
        return sum(ok for _, ok, _ in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    def __bool__(self) -> bool:
        return self.total > 0 and self.passed == self.total

    def __str__(self) -> str:
        return self.text

    def _ipython_display_(self) -> None:
        """Already printed by the checker: show nothing more as a cell's result."""


def copy_value(value):
    return value.detach().clone() if isinstance(value, Tensor) else value


def compare_outputs(got, expected, lang: str, rtol: float, atol: float) -> list[str]:
    if not isinstance(got, Tensor):
        return [message("wrong_type", lang, got=type(got).__name__)]
    if got.shape != expected.shape:
        return [message("wrong_shape", lang, expected=tuple(expected.shape), got=tuple(got.shape))]
    if got.dtype != expected.dtype:
        return [message("wrong_dtype", lang, expected=expected.dtype, got=got.dtype)]
    got, expected = got.detach(), expected.detach()
    if not torch.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=False):
        diff = float((got - expected).abs().nan_to_num(float("inf")).max())
        return [message("wrong_values", lang, diff=f"{diff:.3g}")]
    return []


def run_cases(name: str, student_fn: Callable, reference_fn: Callable, cases: Sequence[Case], *,
              arg_names: Sequence[str] = (), lang: Optional[str] = None, quiet: bool = False,
              rtol: float = 1e-5, atol: float = 1e-7) -> Report:
    """Run ``student_fn`` and ``reference_fn`` on every case; print and return a Report.

    Parameters
    ----------
    name : str
        The student's function name as written in the notebook.
    student_fn, reference_fn : callable
        Called with copies of each case's ``args``; the reference returns a Tensor.
    cases : sequence of Case
    arg_names : sequence of str
        Names of the positional arguments, used in the "changed its input" message.
    lang : str, optional
        See :func:`language`.
    quiet : bool, default False
        Do not print (hidden tests use the Report's truth value).

    Raises
    ------
    NotImplementedError
        When ``student_fn`` raises it (an unfinished stub), after printing how to start.
    """
    lang = language(lang)
    report = Report(name)
    if not callable(student_fn):
        report.text = message("not_callable", lang, got=type(student_fn).__name__)
        if not quiet:
            print(report.text)
        return report
    lines = [message("header", lang, name=name, n=len(cases))]
    for case in cases:
        args = tuple(copy_value(a) for a in case.args)
        expected = reference_fn(*tuple(copy_value(a) for a in case.args))
        try:
            got = student_fn(*args)
        except NotImplementedError:
            if not quiet:
                print(message("not_implemented", lang, name=name))
            raise
        except Exception as error:  # any other bug of the student's is a failed case
            problems = [message("raised", lang, error=f"{type(error).__name__}: {error}")]
        else:
            problems = compare_outputs(got, expected, lang, rtol, atol)
            for i, (before, after) in enumerate(zip(case.args, args)):
                if isinstance(before, Tensor) and not torch.equal(before, after):
                    arg = arg_names[i] if i < len(arg_names) else str(i)
                    problems.append(message("modified_input", lang, arg=arg))
        if problems and case.hint:
            problems.append(message("hint", lang, hint=case.hint[lang]))
        report.results.append((case.label, not problems, problems))
        mark = PASS if not problems else FAIL
        lines.append(f"  {mark} {case.label}: " + ("; ".join(problems) if problems else message("passed", lang)))
    k, n = report.passed, report.total
    lines.append(message("all_passed", lang, n=n) if k == n else message("some_failed", lang, k=k, n=n))
    report.text = "\n".join(lines)
    if not quiet:
        print(report.text)
    return report


def check_messages(table: dict[str, dict[str, Any]]) -> list[str]:
    """Keys of ``table`` (or of its hints) missing a language: ``[]`` when complete."""
    return [f"{key}:{lang}" for key, texts in table.items() for lang in LANGUAGES if lang not in texts]
