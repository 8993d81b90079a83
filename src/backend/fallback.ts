/**
 * Resuming on another backend when a GPU device is lost. A sweep hands its tasks, one at a time,
 * to {@link ResilientRunner.run}; the first task that fails with a DeviceLostError is reported
 * through `onFallback` and run again from its start on the fallback backend (the CPU), and so are
 * all later tasks. Finished results are kept: nothing that completed on the GPU is redone.
 */
import type { Backend } from "./backend.ts";
import { DeviceLostError } from "./webgpu/errors.ts";

export interface ResilientRunResult<T> {
  result: T;
  /** Name of the backend that produced the result. */
  backend: string;
  /** The element type it computed in. */
  dtype: Backend["dtype"];
}

export class ResilientRunner {
  private current: Backend;
  private fellBack = false;
  /** The loss that caused the switch, once it happened. */
  lost: DeviceLostError | undefined;

  constructor(
    primary: Backend,
    private readonly makeFallback: () => Backend | Promise<Backend>,
    private readonly onFallback: (loss: DeviceLostError) => void = () => {},
  ) {
    this.current = primary;
  }

  /** The backend the next task will run on. */
  get backend(): Backend {
    return this.current;
  }

  /**
   * Runs `task` on the current backend; on a lost device, switches to the fallback for good and
   * runs `task` again there. Any other error propagates unchanged.
   */
  async run<T>(task: (backend: Backend) => Promise<T>): Promise<ResilientRunResult<T>> {
    try {
      return { result: await task(this.current), backend: this.current.name, dtype: this.current.dtype };
    } catch (e) {
      if (!(e instanceof DeviceLostError) || this.fellBack) throw e;
      this.lost = e;
      this.fellBack = true;
      this.onFallback(e);
      this.current = await this.makeFallback();
      return { result: await task(this.current), backend: this.current.name, dtype: this.current.dtype };
    }
  }
}
