using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>ClusterNodes</c>: one row per node name, updated by its heartbeat.</summary>
public sealed class ClusterNodeConfiguration : IEntityTypeConfiguration<ClusterNodeRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ClusterNodeRow> b)
    {
        b.ToTable("ClusterNodes");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(128);
        b.Property(x => x.Role).HasMaxLength(32);
    }
}
