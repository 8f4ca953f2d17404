/**
 * Helpers every flow shares, one of each: {@link io.sophonsight.gateway.common.Backoff} (retry delays),
 * {@link io.sophonsight.gateway.common.FailureReason} (the masked one-line reason stored or answered for a failure),
 * {@link io.sophonsight.gateway.common.Text} (truncation) and {@link io.sophonsight.gateway.common.ImageType}
 * (image sniffing). docs/development.md "Shared helpers" lists them.
 */
package io.sophonsight.gateway.common;
