package org.neurite.api.backend;

/**
 * One device the backend can compute on.
 *
 * @param id the name a run parameter uses to select it: {@code cpu}, {@code cuda:0}
 * @param kind {@code cpu} or {@code gpu}
 * @param description what the engine reports about it, for humans
 */
public record DeviceInfo(String id, String kind, String description) {}
