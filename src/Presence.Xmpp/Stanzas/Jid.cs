using System.Diagnostics.CodeAnalysis;
using Presence.Domain.Model;

namespace Presence.Xmpp.Stanzas;

/// <summary>
/// An XMPP address <c>[local@]domain[/resource]</c> (RFC 7622 §3). Parsing splits at the first <c>/</c> (the resource
/// may contain <c>/</c> and <c>@</c>) and then at the <c>@</c> before it. Parts are kept as received; use
/// <see cref="TryGetUser"/> for the normalised bare JID of a user.
/// </summary>
public sealed class Jid : IEquatable<Jid>
{
    private Jid(string? local, string domain, string? resource)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
    }

    /// <summary>The local part, or <c>null</c> for a server or component address.</summary>
    public string? Local { get; }

    /// <summary>The domain part (never empty).</summary>
    public string Domain { get; }

    /// <summary>The resource part, or <c>null</c> for a bare JID.</summary>
    public string? Resource { get; }

    /// <summary>True when there is no resource.</summary>
    public bool IsBare => Resource is null;

    /// <summary>The bare JID (<c>local@domain</c> or <c>domain</c>).</summary>
    public Jid Bare => IsBare ? this : new Jid(Local, Domain, null);

    /// <summary>Parses a JID.</summary>
    /// <exception cref="FormatException">Empty text, empty domain, empty local part before <c>@</c> or empty resource after <c>/</c>.</exception>
    public static Jid Parse(string? text) =>
        TryParse(text, out var jid) ? jid : throw new FormatException($"'{text}' is not a JID (expected [local@]domain[/resource] with non-empty parts).");

    /// <summary>Parses a JID without throwing.</summary>
    /// <returns><c>false</c> for empty text or an empty part.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Jid? jid)
    {
        jid = null;
        if (string.IsNullOrEmpty(text)) return false;
        string? resource = null;
        var slash = text.IndexOf('/');
        var bare = text;
        if (slash >= 0)
        {
            resource = text[(slash + 1)..];
            if (resource.Length == 0) return false;
            bare = text[..slash];
        }
        string? local = null;
        var at = bare.IndexOf('@');
        var domain = bare;
        if (at >= 0)
        {
            local = bare[..at];
            domain = bare[(at + 1)..];
            if (local.Length == 0) return false;
        }
        if (domain.Length == 0 || domain.Contains('@')) return false;
        jid = new Jid(local, domain, resource);
        return true;
    }

    /// <summary>Creates a JID from its parts.</summary>
    /// <exception cref="ArgumentException">An empty domain, local part or resource.</exception>
    public static Jid Create(string? local, string domain, string? resource = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        if (local is { Length: 0 }) throw new ArgumentException("empty local part", nameof(local));
        if (resource is { Length: 0 }) throw new ArgumentException("empty resource", nameof(resource));
        return new Jid(local, domain, resource);
    }

    /// <summary>The same bare JID with <paramref name="resource"/>.</summary>
    public Jid WithResource(string resource) => Create(Local, Domain, resource);

    /// <summary>The normalised user id of the bare JID (see <see cref="UserId"/>); <c>false</c> for a domain-only JID or an invalid one.</summary>
    public bool TryGetUser([NotNullWhen(true)] out UserId? user)
    {
        user = null;
        return Local is not null && UserId.TryParse(Local + "@" + Domain, out user, out _);
    }

    /// <summary>The text form.</summary>
    public override string ToString() =>
        (Local is null ? Domain : Local + "@" + Domain) + (Resource is null ? "" : "/" + Resource);

    /// <inheritdoc />
    public bool Equals(Jid? other) =>
        other is not null && Local == other.Local && string.Equals(Domain, other.Domain, StringComparison.OrdinalIgnoreCase) && Resource == other.Resource;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Jid j && Equals(j);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Local, Domain.ToLowerInvariant(), Resource);

    /// <summary>True when <paramref name="other"/> has the same bare JID (domain case-insensitive).</summary>
    public bool BareEquals(Jid? other) =>
        other is not null && Local == other.Local && string.Equals(Domain, other.Domain, StringComparison.OrdinalIgnoreCase);
}
