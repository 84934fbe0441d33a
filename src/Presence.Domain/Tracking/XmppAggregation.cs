using System.Collections.Immutable;
using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// Per-resource XMPP aggregation (docs/ARCHITECTURE.md §3, RFC 6121 §4.7.2.3): the user's XMPP status is the resource with the
/// highest priority; ties go to the more available show (chat, online, dnd, away, xa), then to the most recent change.
/// Each method returns the old status (same reference) when nothing changed.
/// </summary>
internal static class XmppAggregation
{
    private static readonly Comparison<ResourcePresence> BestFirst = ResourcePresence.BestFirst;

    public static ProtocolStatus Available(ProtocolStatus? old, ResourceAvailableUpdate u, DateTimeOffset now)
    {
        var priority = Math.Clamp(u.Priority, ResourcePresence.MinPriority, ResourcePresence.MaxPriority);
        var resources = old?.Resources ?? [];
        var index = IndexOf(resources, u.Resource);
        ResourcePresence updated;
        if (index >= 0)
        {
            var r = resources[index];
            if (r.Show == u.Show && r.Priority == priority && r.Message == u.Message && r.Annotation is null) return old!;
            var since = r.Show == u.Show && r.Priority == priority && r.Message == u.Message ? r.Since : now;
            updated = r with { Show = u.Show, Priority = priority, Message = u.Message, Since = since, Annotation = null };
            resources = resources.SetItem(index, updated);
        }
        else
        {
            updated = new ResourcePresence(u.Resource, u.Show, priority, u.Message, now);
            resources = resources.Add(updated);
        }
        return Build(old, resources, "", now);
    }

    public static ProtocolStatus Unavailable(ProtocolStatus? old, ResourceUnavailableUpdate u, DateTimeOffset now)
    {
        var resources = old?.Resources ?? [];
        if (u.Resource is null)
        {
            resources = [];
        }
        else
        {
            var index = IndexOf(resources, u.Resource);
            if (index >= 0) resources = resources.RemoveAt(index);
            else if (old is not null && !old.Resources.IsEmpty) return old; // an unknown resource left: nothing to do
        }
        var status = Build(old, resources, u.Message, now);
        return old is not null && status.SameReportedStatus(old) && old.Resources.Length == status.Resources.Length ? old : status;
    }

    public static ProtocolStatus? Details(ProtocolStatus? old, ResourceDetailsUpdate d)
    {
        if (old is null) return null;
        var index = IndexOf(old.Resources, d.Resource);
        if (index < 0) return old;
        var r = old.Resources[index];
        var updated = r with { Ip = d.Ip ?? r.Ip, Hostname = d.Hostname ?? r.Hostname };
        if (updated == r) return old;
        return old with { Resources = old.Resources.SetItem(index, updated) };
    }

    public static ProtocolStatus Annotate(ProtocolStatus old, string? resource, StateAnnotation? annotation, DateTimeOffset now)
    {
        var resources = old.Resources;
        var builder = resources.ToBuilder();
        var changed = false;
        for (var i = 0; i < builder.Count; i++)
        {
            var r = builder[i];
            if (resource is not null && r.Resource != resource) continue;
            if (SameDoubt(r.Annotation, annotation)) continue;
            builder[i] = r with { Annotation = annotation };
            changed = true;
        }
        return changed ? Build(old, builder.ToImmutable(), old.Message, now) : old;
    }

    private static bool SameDoubt(StateAnnotation? a, StateAnnotation? b) =>
        a is null ? b is null : b is not null && a.Kind == b.Kind && a.From == b.From;

    private static bool IsSorted(ImmutableArray<ResourcePresence> resources)
    {
        for (var i = 1; i < resources.Length; i++)
        {
            if (BestFirst(resources[i - 1], resources[i]) > 0) return false;
        }
        return true;
    }

    private static int IndexOf(ImmutableArray<ResourcePresence> resources, string resource)
    {
        for (var i = 0; i < resources.Length; i++)
        {
            if (string.Equals(resources[i].Resource, resource, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static ProtocolStatus Build(ProtocolStatus? old, ImmutableArray<ResourcePresence> resources, string unavailableMessage, DateTimeOffset now)
    {
        if (resources.Length > 1 && !IsSorted(resources))
        {
            var arr = resources.ToArray();
            Array.Sort(arr, BestFirst);
            resources = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(arr);
        }
        PresenceState state;
        XmppShow? show;
        string message;
        StateAnnotation? annotation;
        if (resources.IsEmpty)
        {
            (state, show, message, annotation) = (PresenceState.Unavailable, null, unavailableMessage, null);
        }
        else
        {
            var w = resources[0];
            (state, show, message, annotation) = (w.State, w.Show, w.Message, w.Annotation);
        }
        var since = old is not null && old.State == state && old.Show == show && old.Message == message ? old.Since : now;
        return new ProtocolStatus(Model.Protocols.Xmpp, state, message, since, annotation, show, resources);
    }
}
