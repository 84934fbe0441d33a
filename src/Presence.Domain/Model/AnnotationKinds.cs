namespace Presence.Domain.Model;

/// <summary>Wire names of <see cref="AnnotationKind"/> (XEP-0310 §4).</summary>
public static class AnnotationKinds
{
    /// <summary><c>server-unavailable</c> or <c>connection-paused</c>.</summary>
    public static string ToWire(this AnnotationKind kind) =>
        kind == AnnotationKind.ServerUnavailable ? "server-unavailable" : "connection-paused";

    /// <summary>Parses <c>server-unavailable</c> or <c>connection-paused</c>.</summary>
    public static bool TryParse(string? text, out AnnotationKind kind)
    {
        switch (text)
        {
            case "server-unavailable": kind = AnnotationKind.ServerUnavailable; return true;
            case "connection-paused": kind = AnnotationKind.ConnectionPaused; return true;
            default: kind = default; return false;
        }
    }
}
