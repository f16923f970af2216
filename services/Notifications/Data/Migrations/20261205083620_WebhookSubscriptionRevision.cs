using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookSubscriptionRevision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "etag",
                table: "webhook_subscriptions");

            migrationBuilder.AddColumn<long>(
                name: "revision",
                table: "webhook_subscriptions",
                type: "bigint",
                nullable: false,
                defaultValue: 1L); // an existing subscription starts at the first etag, as a new one does
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "revision",
                table: "webhook_subscriptions");

            migrationBuilder.AddColumn<Guid>(
                name: "etag",
                table: "webhook_subscriptions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));
        }
    }
}
