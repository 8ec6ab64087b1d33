using System.Security.Cryptography;
using System.Text;
using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.ReadModel;

/// <summary>The api_keys projection. It holds the masked key and a fingerprint, never the secret.</summary>
public sealed class KeyStore(ReadModelDatabase db)
{
    public Task SaveAsync(KeySnapshot key, string apiKey) =>
        db.ExecuteAsync("""
            INSERT INTO api_keys (key_id, app_id, api_key_masked, key_fingerprint, is_active, deactivation_reason, quota_remaining,
                                  ratelimit_limit, ratelimit_remaining, ratelimit_reset_at, total_requests, successful_requests,
                                  failed_requests, last_used, last_response_headers)
            VALUES (@id, @app, @masked, @fingerprint, @active, @reason, @quota, @rlLimit, @rlRemaining, @rlResetAt, @total, @ok, @failed,
                    @lastUsed, @headers)
            ON CONFLICT (key_id) DO UPDATE SET
                is_active = excluded.is_active, deactivation_reason = excluded.deactivation_reason, quota_remaining = excluded.quota_remaining,
                ratelimit_limit = excluded.ratelimit_limit, ratelimit_remaining = excluded.ratelimit_remaining,
                ratelimit_reset_at = excluded.ratelimit_reset_at, total_requests = excluded.total_requests,
                successful_requests = excluded.successful_requests, failed_requests = excluded.failed_requests,
                last_used = excluded.last_used, last_response_headers = excluded.last_response_headers
            """,
            [
                ("@id", key.KeyId), ("@app", key.AppId), ("@masked", key.MaskedKey), ("@fingerprint", Fingerprint(apiKey)),
                ("@active", key.IsActive), ("@reason", key.DeactivationReason), ("@quota", key.QuotaRemaining),
                ("@rlLimit", key.RateLimitLimit), ("@rlRemaining", key.RateLimitRemaining),
                ("@rlResetAt", db.Timestamp(key.RestingUntil ?? key.RateLimitResetAt)),
                ("@total", key.TotalRequests), ("@ok", key.SuccessfulRequests), ("@failed", key.FailedRequests),
                ("@lastUsed", db.Timestamp(key.LastUsed)), ("@headers", key.LastResponseHeaders),
            ]);

    public Task DeleteAsync(string keyId) =>
        db.ExecuteAsync("DELETE FROM api_keys WHERE key_id = @id", [("@id", keyId)]);

    private static string Fingerprint(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
}
