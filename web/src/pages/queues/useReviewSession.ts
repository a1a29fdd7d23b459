import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useReducer, useState } from "react";

import { reviewApi } from "./reviewApi";
import { isDone, sessionReducer, shown, START } from "./reviewSession";
import type { NextItems, QueueItem, QueueProgress, Review, ReviewIn } from "./reviewTypes";
import { prefetchReviewItem } from "./useReviewItem";

export interface Failure {
  item: QueueItem;
  error: unknown;
}

/**
 * A reviewer's way through a queue: asks the server for the next items (two at a time, so the
 * next one is already loaded), moves on as soon as the reviewer acts, and saves in the background.
 */
export function useReviewSession(project: string, queue: string, reviewer: string) {
  const client = useQueryClient();
  const [session, dispatch] = useReducer(sessionReducer, START);
  const [progress, setProgress] = useState<QueueProgress | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [reviews, setReviews] = useState<Record<string, Review>>({});

  const apply = useCallback(
    (answer: NextItems) => {
      for (const item of answer.items) prefetchReviewItem(client, project, item);
      dispatch({ type: "loaded", items: answer.items });
      setProgress(answer.progress);
      setLoadError(null);
    },
    [client, project],
  );
  const fetchNext = useCallback(
    () => reviewApi.next(project, queue, { reviewer, count: 2 }).then(apply, setLoadError),
    [apply, project, queue, reviewer],
  );

  useEffect(() => {
    let live = true;
    reviewApi.next(project, queue, { reviewer, count: 2 }).then(
      (answer) => live && apply(answer),
      (error: unknown) => live && setLoadError(error),
    );
    return () => {
      live = false;
    };
  }, [apply, project, queue, reviewer]);

  const save = useCallback(
    async (item: QueueItem, body: Omit<ReviewIn, "reviewer">): Promise<Review> => {
      const review = await reviewApi.submitReview(project, queue, item.id, { ...body, reviewer });
      setReviews((r) => ({ ...r, [item.id]: review }));
      return review;
    },
    [project, queue, reviewer],
  );

  /** Submit the review of the item shown and move on at once; a failure is reported after. */
  const submit = (item: QueueItem, body: Omit<ReviewIn, "reviewer">) => {
    dispatch({ type: "handled" });
    setFailure(null);
    save(item, body)
      .catch((error: unknown) => setFailure({ item, error }))
      .finally(() => void fetchNext());
  };

  /** Skip the item shown (or, going back, move forward again). */
  const skip = (item: QueueItem) => {
    if (session.back !== null) return dispatch({ type: "forward" });
    dispatch({ type: "handled" });
    reviewApi
      .skip(project, queue, item.id, reviewer)
      .catch((error: unknown) => setFailure({ item, error }))
      .finally(() => void fetchNext());
  };

  return {
    item: shown(session),
    revisiting: session.back !== null,
    canGoBack: session.handled.length > 0 && session.back !== 0,
    done: isDone(session),
    progress,
    loadError,
    failure,
    reviews,
    save,
    submit,
    skip,
    back: () => dispatch({ type: "back" }),
    /** After saving outside `submit` (adding to a dataset): move on. */
    moveOn: () => {
      dispatch({ type: "handled" });
      void fetchNext();
    },
  };
}
