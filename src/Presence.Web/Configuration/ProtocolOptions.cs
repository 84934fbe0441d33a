namespace Presence.Web.Configuration;

/// <summary>
/// The protocols a user's presence may hold, section <c>Presence:Protocols</c>: a map from protocol name
/// (1–32 of <c>a-z 0-9 -</c>, e.g. <c>spreed</c>) to <c>{"WrittenBy": "Api" | "Component"}</c>. Default (section
/// absent): <c>xmpp</c> written by the component, <c>spreed</c> by the API. Anything else is refused with 400 naming
/// the known protocols, so one user cannot grow their record with arbitrary names (issue 9 §3).
/// </summary>
internal sealed class ProtocolOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Protocols";

    /// <summary>Most protocols that may be configured.</summary>
    public const int MaxProtocols = 16;

    /// <summary>The configured protocols (name → who writes it); see <see cref="Effective"/> for the defaults.</summary>
    public Dictionary<string, ProtocolDefinition> Protocols { get; set; } = new(StringComparer.Ordinal);

    /// <summary><see cref="Protocols"/>, or the default <c>xmpp</c> (component) and <c>spreed</c> (API) when none are configured.</summary>
    public IReadOnlyDictionary<string, ProtocolDefinition> Effective => Protocols.Count > 0 ? Protocols : Defaults;

    /// <summary>The known names, sorted and comma-separated, for error messages (<c>"spreed, xmpp"</c>).</summary>
    public string Names => string.Join(", ", Effective.Keys.Order(StringComparer.Ordinal));

    /// <summary>
    /// <c>null</c> when the API may set <paramref name="protocol"/>, else a sentence for a 400: unknown protocol (naming
    /// the known ones) or one written only by the component.
    /// </summary>
    public string? ApiWriteRefusal(string protocol)
    {
        if (!Effective.TryGetValue(protocol, out var definition))
            return $"'{Shorten(protocol)}' is not a known protocol; known protocols are {Names} (Presence:Protocols)";
        return definition.WrittenBy == ProtocolWriter.Api
            ? null
            : $"the {protocol} status comes from the XMPP server and cannot be set through the API";
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static readonly Dictionary<string, ProtocolDefinition> Defaults = new(StringComparer.Ordinal)
    {
        [Domain.Model.Protocols.Xmpp] = new() { WrittenBy = ProtocolWriter.Component },
        [Domain.Model.Protocols.Spreed] = new() { WrittenBy = ProtocolWriter.Api },
    };
}
