/**
 * Reading and writing Istio resources: YAML/JSON text to the immutable model records and back.
 *
 * <h2>Loading ({@link dev.meshgate.config.yaml.ResourceLoader})</h2>
 * <ul>
 *   <li>Multi-document YAML and JSON, {@code kind: List} (and {@code XxxList}) with {@code items}, comments,
 *       anchors, aliases and merge keys ({@code <<}); empty documents are skipped.</li>
 *   <li>One generic binder for every kind: records by their canonical constructor, fields by component name or
 *       {@code @JsonName}; a scalar bound to a String is the text as written (YAML 1.1's {@code on}, {@code yes},
 *       {@code 0x1F}, {@code 1.10} stay text); integers and numbers may be quoted (as protobuf JSON allows),
 *       booleans may not; durations as {@code 1.5s} or Go's {@code 1h30m}; enums exact, then case-insensitive.</li>
 *   <li>Errors name file, line, resource and field path ({@code spec.http[0].route[1].weight}; map entries as
 *       {@code headers[x-user]}, see {@link dev.meshgate.config.yaml.FieldPath}). Every bound path's line is
 *       recorded in {@link dev.meshgate.config.model.SourceRef#fieldLines()}.</li>
 *   <li>An unknown field is an error with the nearest known name as a hint. The documented switch
 *       {@link dev.meshgate.config.yaml.LoaderOptions#unknownFieldsAsWarnings()} makes it a warning and the
 *       field is ignored, for configs written for a newer Istio.</li>
 *   <li>Kinds of other APIs (Deployment, Gateway API, ...) are skipped with one INFO notice. Istio kinds Meshgate
 *       does not serve (EnvoyFilter, ProxyConfig) get a warning; an unknown kind in an Istio group and an unserved
 *       version of one of our kinds are errors. A resource with any error is left out; the rest of the file loads.</li>
 *   <li>Hostile input: file size checked before parsing, strict UTF-8, SnakeYAML limits (aliases, nesting,
 *       code points), alias expansion measured before binding, recursive aliases refused, duplicate keys refused,
 *       only plain YAML tags accepted (nothing is ever constructed from a tag).</li>
 * </ul>
 *
 * <h2>Writing ({@link dev.meshgate.config.yaml.ResourceEncoder})</h2>
 * Ordered maps in record order, nulls, empty collections and zero primitives left out, durations in protobuf form,
 * enums by Istio name; YAML, JSON, and canonical JSON (sorted keys) for content hashes. Loading the output gives
 * equal records.
 */
package dev.meshgate.config.yaml;
