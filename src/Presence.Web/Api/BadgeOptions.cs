using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Api;

/// <summary>The presence badge (<c>GET /api/v1/presence/{user}/badge.svg</c>), section <c>Presence:Badge</c>.</summary>
internal sealed class BadgeOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Badge";

    /// <summary>
    /// Serve badges without a token (default <c>false</c>: a token is needed, as for the rest of the API). Meant for
    /// intranet pages that embed <c>&lt;img src=".../badge.svg"&gt;</c>, which cannot send an Authorization header.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>How long browsers and proxies may reuse a badge (<c>Cache-Control: max-age</c>), 0..1 hour (default 10 seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Presence:Badge:MaxAge must be between 00:00:00 and 01:00:00.")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(10);
}
