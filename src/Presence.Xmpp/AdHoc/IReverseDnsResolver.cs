namespace Presence.Xmpp.AdHoc;

/// <summary>Reverse DNS lookup of a session's IP (docs/ARCHITECTURE.md §7: hostname attribute).</summary>
public interface IReverseDnsResolver
{
    /// <summary>The host name of <paramref name="ip"/>, or <c>null</c> when unknown, failed or timed out.</summary>
    Task<string?> LookupAsync(string ip, CancellationToken cancellationToken);
}
