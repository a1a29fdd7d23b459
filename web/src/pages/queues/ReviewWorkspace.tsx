import { Alert, Anchor, Box, Button, Group, Progress, ScrollArea, Stack, Text, Title } from "@mantine/core";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Link } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatCount } from "../../format";
import { ItemView } from "./ItemView";
import { addRecordFromReview } from "./reviewApi";
import { ReviewDatasetModal, type DatasetTarget } from "./ReviewDatasetModal";
import { correctedValue, EMPTY_FORM, formFromReview, missing, setAnswer, toScores, type ReviewForm } from "./reviewForm";
import { focusOf, reviewKeyAction } from "./reviewKeys";
import { ReviewPanel } from "./ReviewPanel";
import type { Queue, QueueProgress, ScoreConfig } from "./reviewTypes";
import { useReviewItem } from "./useReviewItem";
import { useReviewSession } from "./useReviewSession";

interface Props {
  project: string;
  queue: Queue;
  configs: ScoreConfig[];
  reviewer: string;
  queueUrl: string;
}

/** The item under review on the left, the reviewer's answers on the right; keys drive both. */
export function ReviewWorkspace({ project, queue, configs, reviewer, queueUrl }: Props) {
  const s = useReviewSession(project, queue.name, reviewer);
  const { trace, span } = useReviewItem(project, s.item);
  const [forms, setForms] = useState<Record<string, ReviewForm>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const item = s.item;
  const form = item ? (forms[item.id] ?? formFromReview(s.reviews[item.id])) : EMPTY_FORM;
  const setForm = (next: ReviewForm) => item && setForms((f) => ({ ...f, [item.id]: next }));

  const body = () => ({
    scores: toScores(configs, form),
    comment: form.comment.trim() || null,
    corrected_output: correctedValue(form.corrected),
  });
  const ready = (): boolean => {
    const left = missing(configs, form);
    setProblem(left.length > 0 ? `Answer ${left.map((c) => c.name).join(", ")} first.` : null);
    return left.length === 0;
  };
  const submit = () => {
    if (!item || !ready()) return;
    s.submit(item, body());
  };
  const skip = () => {
    setProblem(null);
    if (item) s.skip(item);
  };
  const back = () => {
    setProblem(null);
    s.back();
  };
  const addToDataset = async (target: DatasetTarget) => {
    if (!item || !span) return;
    const review = await s.save(item, body());
    await addRecordFromReview(
      project,
      { name: target.name, create: target.create },
      {
        input: span.input ?? null,
        expected: correctedValue(target.expected),
        source: { trace_id: item.trace_id, span_id: span.span_id, project, review_id: review.id, reviewer },
      },
    );
    setAdding(false);
    s.moveOn();
  };

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (adding || !item) return;
    const focus = focusOf(event.target);
    if (event.key === "Escape" && focus.typing) return (event.target as HTMLElement).blur();
    const action = reviewKeyAction(event, focus, configs, form);
    if (!action) return;
    event.preventDefault();
    if (action.type === "answer") setForm(setAnswer(form, action.config, action.answer));
    else if (action.type === "submit") submit();
    else if (action.type === "skip") skip();
    else if (action.type === "back") back();
    else if (action.type === "comment") commentRef.current?.focus();
    else if (action.type === "dataset" && ready()) setAdding(true);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  if (s.loadError && !item) return <ErrorState error={s.loadError} what="the next item to review" />;
  if (s.done) return <AllDone queueUrl={queueUrl} progress={s.progress} reviewer={reviewer} />;
  return (
    <>
      <ProgressLine progress={s.progress} reviewer={reviewer} />
      {s.failure && (
        <Alert color="red" title="A review was not saved" role="alert" withCloseButton={false}>
          {s.failure.error instanceof Error ? s.failure.error.message : String(s.failure.error)} Go back (←) to the item
          and try again.
        </Alert>
      )}
      <Group align="stretch" wrap="nowrap" gap="lg" style={{ flex: 1, minHeight: 0 }}>
        <Box style={{ flex: 7, minWidth: 0 }}>
          <ScrollArea h="100%" type="auto" offsetScrollbars>
            {!item || trace.isPending ? (
              <Loading what="the item" />
            ) : trace.isError ? (
              <ErrorState error={trace.error} what="the trace of this item" />
            ) : span ? (
              <ItemView project={project} span={span} />
            ) : (
              <Text c="dimmed">The span of this item is no longer in its trace.</Text>
            )}
          </ScrollArea>
        </Box>
        <Box style={{ flex: 5, minWidth: 320 }}>
          <ScrollArea h="100%" type="auto" offsetScrollbars>
            <ReviewPanel
              instructions={queue.instructions}
              configs={configs}
              form={form}
              onChange={setForm}
              problem={problem}
              commentRef={commentRef}
              canGoBack={s.canGoBack}
              revisiting={s.revisiting}
              onSubmit={submit}
              onSkip={skip}
              onBack={back}
              onDataset={() => ready() && setAdding(true)}
            />
          </ScrollArea>
        </Box>
      </Group>
      <ReviewDatasetModal
        project={project}
        opened={adding}
        initialExpected={form.corrected || (typeof span?.output === "string" ? span.output : "")}
        onClose={() => setAdding(false)}
        onAdd={addToDataset}
      />
    </>
  );
}

function ProgressLine({ progress, reviewer }: { progress: QueueProgress | null; reviewer: string }) {
  if (!progress) return null;
  const mine = progress.by_reviewer?.[reviewer] ?? 0;
  return (
    <Group gap="sm" wrap="nowrap" data-testid="review-progress">
      <Progress value={progress.items ? (100 * progress.completed) / progress.items : 0} style={{ flex: 1 }} size="sm" />
      <Text size="sm" c="dimmed" style={{ flex: "none" }}>
        {formatCount(progress.completed)} of {formatCount(progress.items)} done, {formatCount(mine)} by you
      </Text>
    </Group>
  );
}

function AllDone({ queueUrl, progress, reviewer }: { queueUrl: string; progress: QueueProgress | null; reviewer: string }) {
  return (
    <EmptyState title="All done">
      <Stack align="center" gap="xs" data-testid="review-done">
        <Title order={5} c="teal">
          Nothing left in this queue for {reviewer}.
        </Title>
        {progress && (
          <Text c="dimmed">
            {formatCount(progress.completed)} of {formatCount(progress.items)} items are fully reviewed;{" "}
            {formatCount(progress.by_reviewer?.[reviewer] ?? 0)} reviews are yours.
          </Text>
        )}
        <Button component={Link} to={queueUrl} variant="light">
          See the queue&apos;s results
        </Button>
        <Anchor component={Link} to="../.." relative="path" size="sm">
          All queues
        </Anchor>
      </Stack>
    </EmptyState>
  );
}
