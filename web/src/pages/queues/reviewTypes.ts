/** The review API's shapes (score configs, queues, items, reviews, agreement), from the schema. */
import type { Schemas } from "../../api/client";

export type ScoreKind = Schemas["ScoreConfig"]["kind"];
export type Category = Schemas["ScoreCategory"];
export type ScoreConfigIn = Schemas["ScoreConfigIn"];
export type ScoreConfig = Schemas["ScoreConfig"];
export type ScoreConfigPatch = Schemas["ScoreConfigPatch"];
export type QueueProgress = Schemas["QueueProgress"];
export type QueueIn = Schemas["QueueIn"];
export type Queue = Schemas["Queue"];
export type QueueItem = Schemas["QueueItem"];
export type QueueItemPage = Schemas["QueueItemPage"];
export type ItemsFilter = Schemas["QueueFilter"];
export type AddItemsIn = Schemas["QueueItemsIn"];
export type AddItemsResult = Schemas["QueueItemsResult"];
export type NextItems = Schemas["NextItems"];
export type ReviewIn = Schemas["ReviewIn"];
export type ReviewValue = ReviewIn["scores"][string];
export type Review = Schemas["Review"];
export type Disagreement = Schemas["ReviewerDisagreement"];
export type ConfigAgreement = Schemas["ConfigAgreement"];
