"""Parses the HTML report from stdin with a strict XML parser and prints what the tests check, as JSON.

A page that is not well-formed XML makes xml.etree raise, and this script exit with an error.
"""
import json
import sys
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


def classes(element):
    return element.get("class", "").split()


def text(element):
    return "".join(element.itertext()).strip()


def find_class(element, tag, name):
    return [e for e in element.iter(tag) if name in classes(e)]


root = ET.fromstring(sys.stdin.buffer.read())
body = root.find(XHTML + "body")

order = []
for element in root.iter():
    if element.get("id") == "verdicts":
        order.append("verdicts")
    if element.tag == SVG + "svg" and "chart" in classes(element):
        order.append(classes(element)[1])

targets = []
for section in find_class(root, XHTML + "section", "target"):
    cdfs = find_class(section, SVG + "svg", "cdf")
    series = find_class(section, SVG + "svg", "timeseries")
    x_labels = []
    for chart in series:
        for label in find_class(chart, SVG + "text", "tick-x"):
            x_labels.append([t.text for t in label.iter(SVG + "tspan")])
    popmix = find_class(section, XHTML + "table", "popmix")
    targets.append({
        "id": section.get("id"),
        "heading": text(section.find(XHTML + "h2")),
        "cdf": len(cdfs),
        "timeseries": len(series),
        "cdfLines": sum(len(find_class(c, SVG + "path", "line")) for c in cdfs),
        "seriesLines": sum(len(find_class(c, SVG + "path", "line")) for c in series),
        "scale": cdfs[0].get("data-scale") if cdfs else None,
        "bucket": series[0].get("data-bucket") if series else None,
        "xLabels": x_labels,
        "popRows": sum(len(t.find(XHTML + "tbody").findall(XHTML + "tr")) for t in popmix),
        "changes": [text(li) for li in section.iter(XHTML + "li") if li.find(XHTML + "span") is not None
                    and "time" in classes(li.find(XHTML + "span"))],
    })

rows = []
for row in find_class(root, XHTML + "tr", "verdict-row"):
    cell = find_class(row, XHTML + "td", "verdict")
    target = [e for e in row.iter() if "target" in classes(e)]
    link = [e.get("href") for e in row.iter(XHTML + "a")]
    rows.append({
        "verdict": row.get("data-verdict"),
        "tone": classes(row)[1] if len(classes(row)) > 1 else None,
        "text": text(cell[0]) if cell else None,
        "target": text(target[0]) if target else None,
        "link": link[0] if link else None,
        "cells": [text(td) for td in row.findall(XHTML + "td")],
    })

references = []
for element in root.iter():
    for name, value in element.attrib.items():
        if name in ("href", "src", "xlink:href", "{http://www.w3.org/1999/xlink}href", "action", "poster"):
            references.append(value)

print(json.dumps({
    "root": root.tag,
    "order": order,
    "targets": targets,
    "verdictRows": rows,
    "emptyNotes": [text(p) for p in find_class(root, XHTML + "p", "empty-note")],
    "references": references,
    "scripts": len(list(root.iter(XHTML + "script"))),
    "ids": [e.get("id") for e in root.iter() if e.get("id") is not None],
    "text": text(body),
    "headerText": text(body.find(XHTML + "header")),
    "groupRows": sum(len(t.find(XHTML + "tbody").findall(XHTML + "tr"))
                     for t in find_class(root, XHTML + "table", "stats")),
}))
