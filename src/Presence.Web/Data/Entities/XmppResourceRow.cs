namespace Presence.Web.Data.Entities;

/// <summary>A user's current available XMPP resource (table <c>XmppResources</c>, key user + resource; RFC 6121 §4.7).</summary>
public sealed class XmppResourceRow
{
    /// <summary>Normalised bare JID.</summary>
    public string UserId { get; set; } = "";

    /// <summary>Resource part of the full JID (may be empty).</summary>
    public string Resource { get; set; } = "";

    /// <summary>Show wire name: <c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>.</summary>
    public string Show { get; set; } = "online";

    /// <summary>Priority −128..127.</summary>
    public int Priority { get; set; }

    /// <summary>Status text, empty when none.</summary>
    public string Message { get; set; } = "";

    /// <summary>When show, priority or message last changed (UTC).</summary>
    public DateTimeOffset Since { get; set; }

    /// <summary>Session IP address (XEP-0133), when known.</summary>
    public string? Ip { get; set; }

    /// <summary>Reverse DNS name of <see cref="Ip"/>, when known.</summary>
    public string? Hostname { get; set; }

    /// <summary>XEP-0310 kind or <c>null</c>.</summary>
    public string? AnnotationKind { get; set; }

    /// <summary>The annotating entity's JID.</summary>
    public string? AnnotationFrom { get; set; }

    /// <summary>Annotation description.</summary>
    public string? AnnotationDescription { get; set; }

    /// <summary>When the doubt started (UTC).</summary>
    public DateTimeOffset? AnnotationSince { get; set; }
}
