using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Presence.Domain.Model;

namespace Presence.Web.Api;

/// <summary>
/// The SVG of a presence badge, as Openfire's presence plugin and Prosody's mod_webpresence offer for intranet pages:
/// the user on the left, the overall state in words on a state-coloured right half (never colour alone), with an
/// accessible <c>&lt;title&gt;</c> and <c>aria-label</c>. Deterministic: the same input gives the same bytes (so the
/// <see cref="ETag"/> is stable).
/// </summary>
internal static class PresenceBadge
{
    private const double CharWidth = 6.6; // px per character at 11px Verdana-like sans serif, rounded up
    private const int Padding = 6;

    /// <summary>The word shown for <paramref name="state"/>, or <c>unknown</c> for a user with no presence.</summary>
    public static string Word(PresenceState? state) => state switch
    {
        PresenceState.Available => "available",
        PresenceState.Busy => "busy",
        PresenceState.Away => "away",
        PresenceState.Unavailable => "unavailable",
        _ => "unknown",
    };

    /// <summary>The right half's colour (contrast ≥ 4.5:1 with white text).</summary>
    public static string Colour(PresenceState? state) => state switch
    {
        PresenceState.Available => "#2e7d32",
        PresenceState.Busy => "#c62828",
        PresenceState.Away => "#a15c00",
        PresenceState.Unavailable => "#616161",
        _ => "#616161",
    };

    /// <summary>Renders the badge of <paramref name="user"/> (bare JID) in <paramref name="state"/> (<c>null</c>: unknown user).</summary>
    /// <param name="user">The bare JID shown on the left (escaped for XML here).</param>
    /// <param name="state">Overall state, or <c>null</c> when no presence is known.</param>
    /// <param name="stale">True when a status may be stale (XEP-0310 annotation): the text says "(stale)".</param>
    public static string Render(string user, PresenceState? state, bool stale)
    {
        ArgumentNullException.ThrowIfNull(user);
        var value = Word(state) + (stale ? " (stale)" : "");
        var left = Width(user);
        var right = Width(value);
        var total = left + right;
        var label = Escape($"{user}: {value}");
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{label}" data-state="{Word(state)}">
            <title>{label}</title>
            <rect width="{left}" height="20" fill="#37474f"/>
            <rect x="{left}" width="{right}" height="20" fill="{Colour(state)}"/>
            <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
            <text x="{left / 2.0}" y="14">{Escape(user)}</text>
            <text x="{left + right / 2.0}" y="14">{Escape(value)}</text>
            </g>
            </svg>
            """);
    }

    /// <summary>A strong entity tag of a badge's content (quoted, 32 hex digits of its SHA-256).</summary>
    public static string ETag(string svg) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(svg)).AsSpan(0, 16)) + "\"";

    private static int Width(string text) => (int)Math.Ceiling(text.Length * CharWidth) + 2 * Padding;

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
