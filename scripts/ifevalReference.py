"""Reference answers from the Python tools IFEval's checker calls, for Heed's tests.

Writes tests/fixtures/ifeval-reference.json: for every GPT-4 response of
../shared/data/ifeval (the development set), in file order,
  - "langdetect": Python langdetect 1.0.9's probabilities (above 0.1, most likely
    first) with DetectorFactory seeded with 0 and the profiles loaded in name order,
    as Heed's port runs; null where langdetect finds nothing to read;
  - "sentences": NLTK Punkt's sentence count (english.pickle) for each of IFEval's
    eight loose variants of the response (null for an empty variant).

Needs Debian's python3-langdetect and python3-nltk, and Punkt's English model:
  /usr/bin/python3 scripts/ifevalReference.py --punkt PATH/TO/english.pickle
The pickle is opened with an unpickler that refuses every class but Punkt's own.
"""
import argparse
import json
import os
import pickle

from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, '..', 'shared', 'data', 'ifeval', 'input_response_data_gpt4_20231107_145030.jsonl')
PROFILES = '/usr/lib/python3/dist-packages/langdetect/profiles'
PUNKT_CLASSES = {'PunktSentenceTokenizer', 'PunktParameters', 'PunktLanguageVars', 'PunktToken'}
PLAIN = {('collections', 'defaultdict'), ('builtins', 'set'), ('builtins', 'int'), ('builtins', 'object'),
         ('copyreg', '_reconstructor')}


class PunktOnly(pickle.Unpickler):
    def find_class(self, module, name):
        if (module == 'nltk.tokenize.punkt' and name in PUNKT_CLASSES) or (module, name) in PLAIN:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f'{module}.{name} is not part of a Punkt model')


def loose_variants(response):
    """IFEval's loose variants: without the first line, the last, both; each also without '*'."""
    lines = response.split('\n')
    base = [response, '\n'.join(lines[1:]).strip(), '\n'.join(lines[:-1]).strip(), '\n'.join(lines[1:-1]).strip()]
    return base + [r.replace('*', '') for r in base]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--punkt', required=True, help="Punkt's English model (english.pickle)")
    args = parser.parse_args()
    with open(args.punkt, 'rb') as f:
        punkt = PunktOnly(f).load()
    factory = DetectorFactory()
    factory.load_json_profile([open(os.path.join(PROFILES, n), encoding='utf-8').read() for n in sorted(os.listdir(PROFILES))])
    factory.set_seed(0)

    out = []
    with open(DATA, encoding='utf-8') as f:
        for line in f:
            response = json.loads(line)['response']
            detector = factory.create()
            detector.append(response)
            try:
                langs = [[p.lang, p.prob] for p in detector.get_probabilities()]
            except LangDetectException:
                langs = None
            counts = [len(punkt.tokenize(v)) if v.strip() else None for v in loose_variants(response)]
            out.append({'langdetect': langs, 'sentences': counts})
    path = os.path.join(ROOT, 'tests', 'fixtures', 'ifeval-reference.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print(f'{path}: {len(out)} responses')


if __name__ == '__main__':
    main()
