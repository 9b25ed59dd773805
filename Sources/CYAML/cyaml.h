// libyaml from Debian's libyaml-dev (pkg-config yaml-0.1): the event parser that ProbeCore's config loader
// composes its YAML node tree from (Sources/ProbeCore/Config/YAML/YAMLDocument.swift).
#ifndef PEERING_PROBE_CYAML_H
#define PEERING_PROBE_CYAML_H

#include <yaml.h>

#endif
