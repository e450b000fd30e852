"""Validates a FollowTheMoney JSON-lines file against the published schema
(the `followthemoney` package): every entity has a known schema, every
property belongs to that schema, every value is valid for its type, every
entity reference points at an entity of the file whose schema fits the
property's range, and every required property is there.

    python3 validate_ftm.py entities.ftm.json
"""

import json
import sys

from followthemoney import model, registry


def main(path: str) -> int:
    entities = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                entities.append((n, json.loads(line)))
    by_id = {e["id"]: e for _, e in entities}
    problems = []
    for n, e in entities:
        where = f"line {n} ({e.get('id')})"
        schema = model.get(e.get("schema"))
        if schema is None:
            problems.append(f"{where}: unknown schema {e.get('schema')!r}")
            continue
        if schema.abstract:
            problems.append(f"{where}: schema {schema.name} is abstract")
        props = e.get("properties", {})
        for name, values in props.items():
            prop = schema.get(name)
            if prop is None:
                problems.append(f"{where}: {schema.name} has no property {name!r}")
                continue
            if not isinstance(values, list) or not values:
                problems.append(f"{where}: {name} must be a non-empty list")
                continue
            for value in values:
                if prop.type == registry.entity:
                    target = by_id.get(value)
                    if target is None:
                        problems.append(f"{where}: {name} points at unknown entity {value!r}")
                    elif not model.get(target["schema"]).is_a(prop.range):
                        problems.append(
                            f"{where}: {name} wants a {prop.range.name}, "
                            f"{value!r} is a {target['schema']}"
                        )
                elif prop.type.clean(value) is None:
                    problems.append(f"{where}: {name} = {value!r} is not a valid {prop.type.name}")
        for required in schema.required:
            if required not in props:
                problems.append(f"{where}: {schema.name} requires {required!r}")
        # The package itself must accept the entity.
        model.get_proxy(e)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(entities)} entities, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
