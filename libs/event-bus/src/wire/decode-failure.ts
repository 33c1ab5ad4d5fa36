/** Why a message could not be turned into an envelope. */
export class DecodeFailure {
  constructor(readonly reason: string) {}
}
