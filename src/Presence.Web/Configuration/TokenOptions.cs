using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Configuration;

/// <summary>Token settings, section <c>Presence:Tokens</c> (docs/ARCHITECTURE.md §8; zarafa <c>server_secret_key</c>, <c>server_token_expire</c>).</summary>
public sealed class TokenOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Tokens";

    /// <summary>
    /// The legacy shared secret (zarafa <c>server_secret_key</c>): empty (default) turns tokens signed with a shared
    /// secret off; otherwise at least 16 characters and not the old placeholder (<see cref="SharedSecretPolicy"/>).
    /// </summary>
    public string SharedSecret { get; set; } = "";

    /// <summary>Token lifetime; 1 s .. 7 days, default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Presence:Tokens:Expiry must be between 00:00:01 and 7.00:00:00.")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accepted future clock skew; 0 .. 1 hour, default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Presence:Tokens:MaxClockSkew must be between 00:00:00 and 01:00:00.")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}
