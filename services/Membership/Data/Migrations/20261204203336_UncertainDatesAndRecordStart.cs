using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class UncertainDatesAndRecordStart : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "end_not_before",
                table: "memberships",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "start_not_before",
                table: "memberships",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "record_start",
                table: "committees",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "end_not_before",
                table: "memberships");

            migrationBuilder.DropColumn(
                name: "start_not_before",
                table: "memberships");

            migrationBuilder.DropColumn(
                name: "record_start",
                table: "committees");
        }
    }
}
