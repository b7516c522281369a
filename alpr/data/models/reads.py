"""Plate reads, the content-addressed images they reference, the plate dictionary used by
partial and fuzzy search, and misread corrections (R53)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow

READ_ID = BigInteger().with_variant(Integer(), "sqlite")


class Read(Base):
    """One plate read per vehicle pass.

    On Postgres the table is partitioned first by ``retained`` (reads that produced a hit or are
    under legal hold) and then by month of ``captured_at``, so a month of ordinary reads past
    retention goes by dropping its partition. Its DDL lives in ``alpr.data.dialect``.
    """

    __tablename__ = "reads"
    __table_args__ = (PrimaryKeyConstraint("id", "captured_at", "retained", name="pk_reads"),)
    __mapper_args__ = {"primary_key": ["id"]}  # noqa: RUF012

    id: Mapped[int] = mapped_column(READ_ID, autoincrement=True)
    captured_at: Mapped[datetime]
    retained: Mapped[bool] = mapped_column(default=False)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    plate: Mapped[str] = mapped_column(String(10))
    plate_raw: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    char_confidences: Mapped[list[Any] | None]
    alternatives: Mapped[list[Any] | None]
    region: Mapped[str | None] = mapped_column(String(32))
    lat: Mapped[float]
    lon: Mapped[float]
    heading: Mapped[int | None] = mapped_column(SmallInteger)
    is_mobile: Mapped[bool] = mapped_column(default=False)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    crop_sha256: Mapped[str | None] = mapped_column(String(64))
    # The vehicle that bore the plate (``alpr.vehicles``; NULL when nobody described it).
    vehicle_type: Mapped[int | None] = mapped_column(SmallInteger)
    vehicle_colour: Mapped[int | None] = mapped_column(SmallInteger)
    vehicle_type_confidence: Mapped[int | None] = mapped_column(SmallInteger)  # percent
    vehicle_colour_confidence: Mapped[int | None] = mapped_column(SmallInteger)  # percent
    vehicle_box: Mapped[list[Any] | None]  # [x1, y1, x2, y2] in the frame
    vehicle_crop_sha256: Mapped[str | None] = mapped_column(String(64))


class ReadAlternative(Base):
    """A reading of a read other than its plate, with the reader's score for it (R12, R13):
    a search for the true plate of a misread finds the read through it. The read is named by
    its pass (camera, instant, plate as read), which ingest knows before the database gives
    the read its id. A reading carries its read's ``retained`` flag and, on Postgres, is
    partitioned as reads are (by that flag, then by month, migration 0016): the purge drops a
    month of readings with its month of reads.

    Two indexes only, for ingest's sake: by plate for searches, and by instant for the purge
    (a BRIN on Postgres, as readings arrive in time order). A reading is written once, with
    its read, so no unique key is kept."""

    __tablename__ = "read_alternatives"
    __table_args__ = (
        Index("ix_read_alternatives_plate", "plate", "captured_at"),
        Index("ix_read_alternatives_captured_at", "captured_at", postgresql_using="brin"),
    )
    __mapper_args__ = {"primary_key": ["captured_at", "camera_id", "read_plate", "plate"]}  # noqa: RUF012

    captured_at: Mapped[datetime]
    camera_id: Mapped[int]
    read_plate: Mapped[str] = mapped_column(String(10))
    plate: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    retained: Mapped[bool] = mapped_column(default=False)


class Image(Base):
    """An image file in the content-addressed store, named by the SHA-256 of its bytes."""

    __tablename__ = "images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
    size_bytes: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class Plate(Base):
    """Every distinct plate that has a read or a correction to it: partial and fuzzy search
    look here first. Retention prunes the plates whose reads and corrections are all gone.

    ``confusion_key`` is the plate with OCR-confusable characters folded to one representative
    (``alpr.plates.confusion_key``), so a fuzzy search is an ordinary pattern match on it.
    """

    __tablename__ = "plates"
    __table_args__ = (Index("ix_plates_confusion_key", "confusion_key"),)

    plate: Mapped[str] = mapped_column(String(10), primary_key=True)
    confusion_key: Mapped[str] = mapped_column(String(10))


class PlatePrune(Base):
    """One pruning of the plate dictionary by retention. An ingestor that remembers which plates
    the dictionary holds forgets them when a newer prune appears."""

    __tablename__ = "plate_prunes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pruned_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed: Mapped[int]


class PlateStoredDuringPrune(Base):
    """Plates of the batches stored while a prune looks for unused plates (Postgres): the
    prune keeps them whatever it found."""

    __tablename__ = "plates_stored_during_prune"

    plate: Mapped[str] = mapped_column(String(10), primary_key=True)


class ReadCorrection(Base):
    """A misread flagged by an investigator: the read keeps its plate, searches find both."""

    __tablename__ = "read_corrections"
    __table_args__ = (
        Index("ix_read_corrections_read", "read_id"),
        Index("ix_read_corrections_plate", "corrected_plate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    read_id: Mapped[int] = mapped_column(READ_ID)
    read_captured_at: Mapped[datetime]
    original_plate: Mapped[str] = mapped_column(String(10))
    corrected_plate: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    corrected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReadVehicleCorrection(Base):
    """A vehicle type or colour corrected by an investigator: the read keeps what the models
    said, searches and results use the latest correction."""

    __tablename__ = "read_vehicle_corrections"
    __table_args__ = (Index("ix_read_vehicle_corrections_read", "read_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    read_id: Mapped[int] = mapped_column(READ_ID)
    read_captured_at: Mapped[datetime]
    attribute: Mapped[str] = mapped_column(String(10))  # "type" or "colour"
    original: Mapped[int | None] = mapped_column(SmallInteger)
    corrected: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(Text)
    corrected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)
