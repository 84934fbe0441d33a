using System.Security.Cryptography;
using System.Text;

namespace Presence.Xmpp.Component;

/// <summary>The component handshake (XEP-0114 §3): lower-case hex SHA-1 of the stream id followed by the shared secret.</summary>
public static class ComponentHandshake
{
    /// <summary>Computes the handshake value.</summary>
    /// <param name="streamId">The id attribute of the server's stream header.</param>
    /// <param name="secret">The component secret.</param>
    /// <returns>40 lower-case hexadecimal characters.</returns>
    public static string Compute(string streamId, string secret) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(streamId + secret)));
}
